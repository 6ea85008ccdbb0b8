import { describe, expect, it } from 'vitest';
import { renderMail } from '../../lambdas/core/mail.js';
import {
  customHeaders,
  FEEDBACK_SENDER_ID,
  feedbackId,
  listHeaders,
  listId,
  MailHeaderError,
  SES_OWNED_HEADERS,
} from '../../lambdas/core/mail-headers.js';
import { aClub, aMember, anOffer, CATALOG } from './fixtures.js';

/** RFC 2919: list-id = list-label "." list-id-namespace, in angle brackets, dot-atom text throughout. */
const LIST_ID = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)+>$/;

describe('List-Id (RFC 2919)', () => {
  it('names one list per club inside the club own sending domain', () => {
    expect(listId('stadsbutiken', 'klubb@Klubb.Stadsbutiken.se')).toBe('<stadsbutiken.klubb.stadsbutiken.se>');
    expect(listId('club_2-b', 'x@a.example')).toMatch(LIST_ID);
  });

  it('stays within 255 characters for the longest club id and domain, and the same for the same club', () => {
    const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(60)}.se`;
    const clubId = 'c'.repeat(64);
    const id = listId(clubId, `x@${domain}`);
    expect(id.length - 2).toBeLessThanOrEqual(255);
    expect(id).toMatch(LIST_ID);
    expect(id).toBe(listId(clubId, `y@${domain}`));
    expect(id).not.toBe(listId(`${'c'.repeat(63)}d`, `x@${domain}`));
  });
});

describe('Feedback-ID (Gmail feedback loop)', () => {
  it('has the four fields a:b:c:SenderId: campaign, club, kind of mail, and a 5-15 character SenderId', () => {
    const value = feedbackId('c-2025-w24', 'stadsbutiken', 'offers');
    expect(value).toBe(`c-2025-w24:stadsbutiken:offers:${FEEDBACK_SENDER_ID}`);
    const fields = value.split(':');
    expect(fields).toHaveLength(4);
    expect(FEEDBACK_SENDER_ID.length).toBeGreaterThanOrEqual(5);
    expect(FEEDBACK_SENDER_ID.length).toBeLessThanOrEqual(15);
  });
});

describe('the custom headers of a campaign mail', () => {
  const rendered = renderMail({
    club: aClub(),
    member: aMember(),
    theme: 'community',
    offers: [{ ...anOffer(CATALOG.spaghetti), why: 'often-bought' }],
    links: { unsubscribe: 'https://club.example.se/u/k1.abc', preferences: 'https://club.example.se/p/k1.def' },
  });
  const headers = customHeaders([
    ...rendered.headers,
    ...listHeaders({ clubId: 'club-1', campaignId: 'c1', kind: 'offers', senderEmail: 'club@hornbutiken.example' }),
  ]);

  it('are RFC 8058 unsubscribe, List-Id and Feedback-ID, and none of those SES sets itself', () => {
    expect(headers.map((h) => h.name)).toEqual(['List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Id', 'Feedback-ID']);
    for (const { name } of headers) expect(SES_OWNED_HEADERS.has(name.toLowerCase())).toBe(false);
  });

  it.each(['Message-ID', 'Date', 'message-id', 'From', 'Return-Path'])(
    'refuses %s, which SESv2 refuses as a custom header of Simple content',
    (name) => {
      expect(() => customHeaders([{ name, value: '<x@club.example>' }])).toThrow(MailHeaderError);
    },
  );

  it('refuses a header twice, and a value a header line cannot carry', () => {
    expect(() => customHeaders([...headers, { name: 'list-id', value: '<x.y>' }])).toThrow(/appears twice/);
    expect(() => customHeaders([{ name: 'X-Club', value: 'Hörnbutiken' }])).toThrow(/printable ASCII/);
    expect(() => customHeaders([{ name: 'X-Club', value: 'a\r\nBcc: x@example.com' }])).toThrow(/printable ASCII/);
    expect(() => customHeaders([{ name: 'X:Club', value: 'a' }])).toThrow(/printable ASCII/);
  });
});
