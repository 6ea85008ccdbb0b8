import { createHash, timingSafeEqual } from 'node:crypto';

/** The header CloudFront adds to every request it forwards when the WAF option is on (lib/constructs/edge-distribution.ts). */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * Whether a request carries CloudFront's secret header: compared in constant time (over digests, so
 * not even the length leaks). A request without it came to the execute-api URL around the WAF.
 */
export function originVerified(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export const ORIGIN_REFUSED = {
  status: 403,
  body: JSON.stringify({ error: 'forbidden', message: 'Requests must come through the CloudFront distribution.' }),
};
