import type { MailControl } from '../../core/mail-controls.js';
import type { Language } from '../../core/model.js';

/** The words of one control's two pages: the question a GET shows, and what the POST did. */
export interface ControlPageCopy {
  readonly title: string;
  /** What the button will change, said before anything changes. */
  readonly ask: string;
  readonly button: string;
  /** What changed; `until` is the pause's end as a date, for the pause. */
  readonly done: (until: string) => string;
}

/** The control pages' strings, per language. */
export interface ControlCopy {
  readonly controls: Readonly<Record<MailControl, ControlPageCopy>>;
  /** The change was the member's choice already: nothing new was saved. */
  readonly already: string;
  readonly doneTitle: string;
  readonly morePreferences: string;
  readonly staleForm: string;
  readonly locale: string;
}

export const CONTROL_COPY: Readonly<Record<Language, ControlCopy>> = {
  sv: {
    controls: {
      fewer: {
        title: 'Färre mejl som det här?',
        ask: 'Vi skickar färre mejl som det du just fick. Andra mejl från klubben påverkas inte.',
        button: 'Ja, färre mejl som det här',
        done: () => 'Klart. Du får färre mejl som det här från och med nu.',
      },
      pause: {
        title: 'Pausa mejlen i 4 veckor?',
        ask: 'Vi skickar inga erbjudanden till dig de närmaste 4 veckorna. Sedan fortsätter mejlen som förut.',
        button: 'Ja, pausa i 4 veckor',
        done: (until) => `Klart. Dina mejl är pausade till och med ${until}.`,
      },
      'occasions-only': {
        title: 'Bara födelsedag och stora erbjudanden?',
        ask: 'Vi mejlar dig bara på din födelsedag och när klubben har ett stort erbjudande.',
        button: 'Ja, bara det viktigaste',
        done: () => 'Klart. Från och med nu får du bara mejl på din födelsedag och vid stora erbjudanden.',
      },
    },
    already: 'Det här hade du redan valt, så inget behövde ändras.',
    doneTitle: 'Ditt val är sparat',
    morePreferences: 'Ändra mer i dina inställningar',
    staleForm: 'Formuläret gick inte att skicka. Ladda om sidan och försök igen.',
    locale: 'sv-SE',
  },
  da: {
    controls: {
      fewer: {
        title: 'Færre mails som denne?',
        ask: 'Vi sender færre mails som den, du lige har fået. Andre mails fra klubben ændres ikke.',
        button: 'Ja, færre mails som denne',
        done: () => 'Færdig. Du får færre mails som denne fra nu af.',
      },
      pause: {
        title: 'Sæt dine mails på pause i 4 uger?',
        ask: 'Vi sender ingen tilbud til dig de næste 4 uger. Derefter fortsætter dine mails som før.',
        button: 'Ja, pause i 4 uger',
        done: (until) => `Færdig. Dine mails er sat på pause til og med ${until}.`,
      },
      'occasions-only': {
        title: 'Kun fødselsdag og store tilbud?',
        ask: 'Vi mailer dig kun på din fødselsdag, og når klubben har et stort tilbud.',
        button: 'Ja, kun det vigtigste',
        done: () => 'Færdig. Fra nu af får du kun mails på din fødselsdag og ved store tilbud.',
      },
    },
    already: 'Det havde du allerede valgt, så intet skulle ændres.',
    doneTitle: 'Dit valg er gemt',
    morePreferences: 'Skift flere indstillinger',
    staleForm: 'Formularen kunne ikke sendes. Genindlæs siden, og prøv igen.',
    locale: 'da-DK',
  },
  en: {
    controls: {
      fewer: {
        title: 'Fewer mails like this?',
        ask: 'We will send you fewer mails like the one you just got. Other mail from the club stays as it is.',
        button: 'Yes, fewer mails like this',
        done: () => 'Done. From now on you get fewer mails like this one.',
      },
      pause: {
        title: 'Pause your mail for 4 weeks?',
        ask: 'We will send you no offers for the next 4 weeks. After that your mail continues as before.',
        button: 'Yes, pause for 4 weeks',
        done: (until) => `Done. Your mail is paused until ${until}.`,
      },
      'occasions-only': {
        title: 'Only your birthday and big offers?',
        ask: 'We will mail you only on your birthday and when the club has a big offer.',
        button: 'Yes, only what matters most',
        done: () => 'Done. From now on you get mail only on your birthday and for big offers.',
      },
    },
    already: 'That was your choice already, so nothing needed to change.',
    doneTitle: 'Your choice is saved',
    morePreferences: 'Change more in your preferences',
    staleForm: 'The form could not be sent. Reload the page and try again.',
    locale: 'en-GB',
  },
};
