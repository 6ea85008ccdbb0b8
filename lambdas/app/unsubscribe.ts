import { consentHistoryOf } from '../core/consent.js';
import { html } from '../core/html.js';
import { mailbox } from '../core/mail-address.js';
import type { Club, Language, Member } from '../core/model.js';
import { signToken } from '../core/tokens.js';
import type { Deps } from './deps.js';

type UnsubscribeDeps = Pick<
  Deps,
  'members' | 'suppressions' | 'mailer' | 'clock' | 'tokenKeys' | 'publicBaseUrl' | 'log'
>;

const CONFIRMATION: Readonly<
  Record<
    Language,
    { subject: (club: string) => string; body: (club: string) => string; settings: string; address: string }
  >
> = {
  sv: {
    subject: (club) => `Du är avregistrerad från ${club}s mejl`,
    body: (club) =>
      `Vi har tagit emot din avregistrering. Du får inga fler erbjudanden eller nyheter från ${club} via mejl. Ditt medlemskap finns kvar.`,
    settings: 'Dina inställningar, och dina uppgifter att ladda ner eller radera:',
    address: 'Avsändare',
  },
  da: {
    subject: (club) => `Du er afmeldt mails fra ${club}`,
    body: (club) =>
      `Vi har modtaget din afmelding. Du får ikke flere tilbud eller nyheder fra ${club} på mail. Dit medlemskab fortsætter.`,
    settings: 'Dine indstillinger, og dine oplysninger til download eller sletning:',
    address: 'Afsender',
  },
  en: {
    subject: (club) => `You are unsubscribed from ${club} mail`,
    body: (club) =>
      `We have received your unsubscribe. You will get no more offers or news from ${club} by mail. Your membership stays.`,
    settings: 'Your settings, and your data to download or delete:',
    address: 'Sender',
  },
};

/**
 * Unsubscribe a member from all marketing mail. On the first effective unsubscribe only, send one
 * transactional confirmation (outside the frequency budget, so no ledger claim and no
 * List-Unsubscribe), unless the member turned it off or mail no longer reaches them.
 */
export async function unsubscribeMember(
  deps: UnsubscribeDeps,
  found: { club: Club; member: Member },
  via: string,
): Promise<'changed' | 'unchanged'> {
  const { club, member } = found;
  const now = deps.clock.now();
  const result = await deps.members.unsubscribe(club.clubId, member.memberId, now, via);
  // The address too, so the same person imported again under another id is not mailed either. Every
  // call adds it (idempotent): a crash between the two writes is healed by the member's next click.
  const grantSources = [
    ...new Set(
      consentHistoryOf(member)
        .filter((e) => e.marketing)
        .map((e) => e.source),
    ),
  ];
  await deps.suppressions.add(club.clubId, member.email, now, via, 'withdrawn', grantSources);
  deps.log.info('member unsubscribed', { clubId: club.clubId, memberId: member.memberId, via, result });
  if (result === 'unchanged' || member.preferences.unsubscribeConfirmation === false || member.deliverability !== 'ok')
    return result;
  const copy = CONFIRMATION[member.language];
  const link = `${deps.publicBaseUrl}/p/${signToken(await deps.tokenKeys(), { purpose: 'preferences', clubId: club.clubId, memberId: member.memberId }, now)}`;
  try {
    await deps.mailer.send({
      from: mailbox(club.senderName, club.senderEmail),
      to: member.email,
      subject: copy.subject(club.name),
      text: `${copy.body(club.name)}\n\n${copy.settings}\n${link}\n\n${copy.address}: ${club.name}, ${club.postalAddress}\n`,
      html: html`<!doctype html><html lang="${member.language}"><head><meta charset="utf-8"><title>${copy.subject(club.name)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;color:#111111">
<p>${copy.body(club.name)}</p>
<p>${copy.settings}<br><a href="${link}">${link}</a></p>
<p style="font-size:13px;color:#444444">${copy.address}: ${club.name}, ${club.postalAddress}</p>
</body></html>`.value,
      headers: [],
      tags: { club: club.clubId, member: member.memberId, kind: 'unsubscribe-confirmation' },
    });
    deps.log.info('unsubscribe confirmation sent', { clubId: club.clubId, memberId: member.memberId });
  } catch (error: unknown) {
    // The unsubscribe itself stands; a lost confirmation must not turn the 200 of RFC 8058 into an error.
    deps.log.warn('unsubscribe confirmation not sent', {
      clubId: club.clubId,
      memberId: member.memberId,
      error,
    });
  }
  return result;
}
