import { describe, expect, it } from 'vitest';
import { type MailOffer, renderMail } from '../../lambdas/core/mail.js';
import { Emotion, Language } from '../../lambdas/core/model.js';
import { aClub, aMember, anOffer, CATALOG } from './fixtures.js';

const MILK: MailOffer = {
  ...anOffer(CATALOG.milk, { headline: '2 for 1', validUntil: '2030-01-31' }),
  why: 'often-bought',
};

/**
 * Golden copy per language and emotion: small, readable parts of the mail (subject, preheader,
 * headline, first offer row, call to action, footer) rather than whole documents, so a change to one
 * theme's Danish copy shows up as a two-line diff. Update with `npx vitest run -u` after reading it.
 */
function parts(emotion: Emotion, language: Language, offer: MailOffer = MILK) {
  const mail = renderMail({
    club: aClub({ name: 'Klubben', language, offersUrl: 'https://klubben.example/offers' }),
    member: aMember({ firstName: 'Kim', language }),
    theme: emotion,
    offers: [offer],
    links: { unsubscribe: 'https://klubben.example/u/t', preferences: 'https://klubben.example/p/t' },
    variantKey: 'golden',
  });
  const between = (start: string, end: string) => {
    const from = mail.html.indexOf(start);
    return from < 0 ? '' : mail.html.slice(from, mail.html.indexOf(end, from) + end.length);
  };
  return {
    subject: mail.subject,
    preheader: mail.preheader,
    headline: between('<h1', '</h1>'),
    firstOffer: between('<tr><td style="padding:12px 0', '</td></tr>'),
    cta:
      between('<table role="presentation" cellpadding="0" cellspacing="0" style="margin:24px 0 0">', '</table>') ||
      between('<p style="margin:24px 0 0">', '</p>'),
    footer: mail.text.slice(mail.text.indexOf('--')),
  };
}

describe('golden mail parts', () => {
  for (const language of Language.options) {
    for (const emotion of Emotion.options) {
      it(`${emotion} in ${language}`, () => {
        expect(parts(emotion, language)).toMatchSnapshot();
      });
    }
  }

  for (const language of Language.options) {
    it(`a diet choice in ${language}`, () => {
      const choice: MailOffer = {
        ...anOffer(CATALOG.gfPasta, { headline: '2 for 1', validUntil: '2030-01-31' }),
        why: 'diet-choice',
        diet: 'gluten-free',
      };
      expect(parts('community', language, choice).firstOffer).toMatchSnapshot();
    });
  }

  it('escapes and keeps every part within client limits', () => {
    for (const language of Language.options) {
      for (const emotion of Emotion.options) {
        const p = parts(emotion, language);
        expect([...p.subject].length, `${emotion}/${language}`).toBeLessThanOrEqual(60);
        expect([...p.preheader].length).toBeLessThanOrEqual(100);
        expect(p.headline).toMatch(/^<h1[^>]*>[^<]+<\/h1>$/);
        expect(p.firstOffer).toContain('2030-01-31');
      }
    }
  });
});
