import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeDisplayName, mailbox } from '../../lambdas/core/mail-address.js';
import { Club } from '../../lambdas/core/model.js';
import { HttpsUrl, oneSafeLine, UNSAFE_TEXT_MESSAGE } from '../../lambdas/core/safe-text.js';
import { aClub } from './fixtures.js';

/** Decode RFC 2047 B-encoded words the way a mail client does (adjacent words join without the space). */
function decodeWords(phrase: string): string {
  const words = phrase.split(' ');
  if (!words.every((w) => /^=\?UTF-8\?B\?[A-Za-z0-9+/=]*\?=$/.test(w))) return phrase;
  return Buffer.concat(words.map((w) => Buffer.from(w.slice(10, -2), 'base64'))).toString('utf8');
}

describe('From header display names (RFC 5322, RFC 2047)', () => {
  it('leaves plain ASCII words as they are', () => {
    expect(mailbox('Test Grocer', 'club@grocer.example')).toBe('Test Grocer <club@grocer.example>');
  });

  it('quotes ASCII names with specials, escaping quotes and backslashes', () => {
    expect(mailbox('Grocer, Inc. "Best"', 'a@b.example')).toBe('"Grocer, Inc. \\"Best\\"" <a@b.example>');
  });

  it('writes a non-ASCII name as UTF-8 base64 encoded words', () => {
    const from = mailbox('Boghandlen Læseklub', 'klub@boghandlen.example');
    expect(from).toBe(`=?UTF-8?B?${Buffer.from('Boghandlen Læseklub').toString('base64')}?= <klub@boghandlen.example>`);
  });

  it('splits long names into words of at most 75 characters, never inside a character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }), (name) => {
        const clean = oneSafeLine(name);
        fc.pre(clean !== '' && /[^\x20-\x7e]/.test(clean));
        const phrase = encodeDisplayName(clean);
        for (const word of phrase.split(' ')) expect(word.length).toBeLessThanOrEqual(75);
        expect(decodeWords(phrase)).toBe(clean);
        expect(phrase).toMatch(/^[\x21-\x7e ]+$/);
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('never lets a line break or a bidi override of a stored name into the header', () => {
    const from = mailbox('Evil\r\nBcc: victim@x.example\u202e', 'club@evil.example');
    expect(from).not.toMatch(/[\r\n\u202e]/);
    expect(from).toBe('"Evil Bcc: victim@x.example" <club@evil.example>');
  });
});

describe('club names, sender names and URLs', () => {
  const club = (fields: Record<string, unknown>) => Club.safeParse({ ...aClub(), ...fields });

  it.each([
    ['name', 'Club\r\nBcc: x@y.example'],
    ['name', 'Club\u202Eevil'],
    ['senderName', 'Sender\nX-Injected: 1'],
    ['senderName', 'Sender\u2066hidden\u2069'],
    ['senderName', 'Tab\there'],
  ])('refuses %s %j, naming the rule', (field, value) => {
    const parsed = club({ [field]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: [field], message: UNSAFE_TEXT_MESSAGE });
  });

  it('keeps names with accents, emoji and non-Latin scripts', () => {
    expect(club({ name: 'Läseklubben 📚', senderName: 'Книжный клуб' }).success).toBe(true);
  });

  it.each(['javascript:alert(1)', 'data:text/html,<b>x</b>', 'http://club.example/offers', 'ftp://club.example'])(
    'refuses %s as an offers or logo URL',
    (url) => {
      expect(HttpsUrl.safeParse(url).success).toBe(false);
      expect(club({ offersUrl: url }).success).toBe(false);
      expect(club({ brand: { ...aClub().brand, logoUrl: url } }).success).toBe(false);
    },
  );

  it('accepts https URLs', () => {
    expect(club({ offersUrl: 'https://club.example/offers' }).success).toBe(true);
  });
});
