import { oneSafeLine } from './safe-text.js';

/** RFC 5322 atext and spaces: a display name of these needs no quoting. */
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?: [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** An encoded word is at most 75 characters (RFC 2047 §2): `=?UTF-8?B?` + 60 base64 characters + `?=` is 72. */
const WORD_BYTES = 45;

/**
 * A mailbox for a From header: `Name <address>`. The display name is written so no header can be
 * injected and every mail system reads it back as it was (SES requires RFC 2047 for non-ASCII names:
 * unencoded, it rejects the message):
 * - plain ASCII words stay as they are: `Club Grocer <club@grocer.example>`;
 * - ASCII with specials (`,` `.` `"` `@` …) becomes a quoted string: `"Grocer, Inc." <…>`;
 * - anything else becomes UTF-8 base64 encoded words: `=?UTF-8?B?Qm9naGFuZGxlbiBMw6ZzZWtsdWI=?= <…>`,
 *   split between characters, never inside one.
 * Control and bidirectional formatting characters are turned into spaces first (they are refused
 * at input; this guards names stored before that).
 */
export function mailbox(displayName: string, address: string): string {
  const name = oneSafeLine(displayName);
  if (name === '') return address;
  return `${encodeDisplayName(name)} <${address}>`;
}

export function encodeDisplayName(name: string): string {
  if (PLAIN_PHRASE.test(name) && !name.includes('=?')) return name;
  if (PRINTABLE_ASCII.test(name) && !name.includes('=?')) return `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return encodedWords(name);
}

function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const character of text) {
    if (Buffer.byteLength(chunk + character, 'utf8') > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(' ');
}
