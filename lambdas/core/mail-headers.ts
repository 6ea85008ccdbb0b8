import { createHash } from 'node:crypto';
import { ClubPlannerError } from './errors.js';
import { emailDomain } from './sender-domain.js';

/**
 * Gmail's feedback-loop SenderId (5 to 15 characters, the same on every mail of the stream): the
 * right-most field of `Feedback-ID`. Each club's mail is DKIM-signed by its own domain, so Gmail's
 * Postmaster Tools show each club its own data under the same SenderId.
 */
export const FEEDBACK_SENDER_ID = 'clubplanner';

/**
 * Headers SES sets itself: the SESv2 SendEmail operation refuses them as custom headers of Simple
 * content (SES developer guide, "Amazon SES header fields"). SES writes `Date` (when it accepted the
 * mail, UTC) and `Message-ID` (`<SES message id@<region>.amazonses.com>`) on every mail
 * (docs/decisions/0031-mail-headers.md).
 */
export const SES_OWNED_HEADERS: ReadonlySet<string> = new Set(
  [
    'BCC',
    'CC',
    'Content-Disposition',
    'Content-Type',
    'Date',
    'From',
    'Message-ID',
    'MIME-Version',
    'Reply-To',
    'Return-Path',
    'Subject',
    'To',
  ].map((name) => name.toLowerCase()),
);

/** RFC 2919 caps a list identifier at 255 characters. */
const MAX_LIST_ID = 255;

export interface MailHeader {
  readonly name: string;
  readonly value: string;
}

/**
 * `List-Id: <club-id.sending-domain>` (RFC 2919): one list per club, named inside the club's own
 * sending domain so no other sender can claim it. Past RFC 2919's 255 characters, a short hash of
 * the club id stands for it, and then the domain's leading labels give way (its parents are the
 * club's too).
 */
export function listId(clubId: string, senderEmail: string): string {
  const domain = emailDomain(senderEmail);
  if (clubId.length + 1 + domain.length <= MAX_LIST_ID) return `<${clubId}.${domain}>`;
  const label = `club-${createHash('sha256').update(clubId).digest('hex').slice(0, 16)}`;
  const labels = domain.split('.');
  while (labels.length > 2 && label.length + 1 + labels.join('.').length > MAX_LIST_ID) labels.shift();
  return `<${label}.${labels.join('.')}>`;
}

/** `Feedback-ID: campaign:club:kind:SenderId`, Gmail's `a:b:c:SenderId` (ids hold no colon). */
export function feedbackId(campaignId: string, clubId: string, kind: string): string {
  return `${campaignId}:${clubId}:${kind}:${FEEDBACK_SENDER_ID}`;
}

/** The headers that tie a campaign mail to its club's list and to Gmail's feedback loop. */
export function listHeaders(input: {
  readonly clubId: string;
  readonly campaignId: string;
  readonly kind: string;
  readonly senderEmail: string;
}): MailHeader[] {
  return [
    { name: 'List-Id', value: listId(input.clubId, input.senderEmail) },
    { name: 'Feedback-ID', value: feedbackId(input.campaignId, input.clubId, input.kind) },
  ];
}

export class MailHeaderError extends ClubPlannerError {
  constructor(message: string) {
    super(message);
    this.name = 'MailHeaderError';
  }
}

/**
 * The custom headers of a mail, checked before they reach SES: printable ASCII only, none that SES
 * sets itself, none twice. A failure is a bug in the code that built the mail.
 */
export function customHeaders(headers: readonly MailHeader[]): MailHeader[] {
  const seen = new Set<string>();
  for (const { name, value } of headers) {
    const key = name.toLowerCase();
    if (SES_OWNED_HEADERS.has(key)) throw new MailHeaderError(`${name} is set by SES and refused as a custom header`);
    if (seen.has(key)) throw new MailHeaderError(`${name} appears twice`);
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name) || !/^[\x20-\x7e]*$/.test(value)) {
      throw new MailHeaderError(`${name} must be printable ASCII`);
    }
    seen.add(key);
  }
  return [...headers];
}
