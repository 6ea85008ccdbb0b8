import { z } from 'zod';

/**
 * Characters that must never reach a mail header or a one-line name: control characters (C0, DEL
 * and C1, CR and LF among them: header injection), line and paragraph separators, and the Unicode
 * bidirectional formatting characters that make text read differently from what it is (Trojan
 * Source, CVE-2021-42574: a sender name that displays as another brand).
 */
const UNSAFE = /[\p{Cc}\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

export const UNSAFE_TEXT_MESSAGE = 'must not contain control characters, line breaks or bidirectional formatting';

export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE.test(text);
}

/** One line of text that may go into a header: club and sender names, subjects. */
export const SafeLine = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((text) => !hasUnsafeCharacters(text), UNSAFE_TEXT_MESSAGE);

/**
 * The last guard before a header: whatever a template rendered (a member's name inside a subject,
 * say) leaves here as one line with each unsafe character turned into a space.
 */
export function oneSafeLine(text: string): string {
  return text.replace(UNSAFE_ALL, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * An `https:` URL: links in mail and images a mail client loads. `javascript:`, `data:` and plain
 * `http:` are refused with a message naming the rule.
 */
export const HttpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).max(2000);
