import type { SendingDomain, SendingDomains } from './sending-domains.js';

/**
 * Which domains each club may send from (docs/decisions/0030-club-sender-and-sender-check.md).
 * `configured`: the SENDING_DOMAINS list (always on AWS, where an empty list means nobody may send).
 * `any`: no list at all, so no sender is checked: only the local system's ad-hoc test clubs run so.
 */
export type SenderRules = { readonly mode: 'configured'; readonly domains: SendingDomains } | { readonly mode: 'any' };

/** Why mail is held or dropped: the club's sender is not on one of its own sending domains. */
export const SENDER_NOT_ALLOWED = 'sender-not-allowed';
/** Why mail is held or dropped: SES refused the club's sender, whose domain is not (or no longer) verified. */
export const SENDING_DOMAIN_NOT_VERIFIED = 'sending-domain-not-verified';

/** The domain of an address, lower-cased: `Klubb@Stadsbutiken.SE` → `stadsbutiken.se`. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** The club's own sending domains (none in `any` mode). */
export function clubDomains(rules: SenderRules, clubId: string): SendingDomain[] {
  return rules.mode === 'configured' ? rules.domains.filter((d) => d.clubId === clubId) : [];
}

export type SenderVerdict =
  | {
      readonly ok: true;
      readonly domain: string;
      /** The configured entry; absent in `any` mode. */
      readonly config?: SendingDomain;
    }
  | {
      readonly ok: false;
      readonly domain: string;
      readonly reason: 'other-club' | 'unassigned';
      /** A sentence for the marketer, without the field name. */
      readonly message: string;
    };

/**
 * Whether `senderEmail` is on one of the club's own sending domains. The address's domain must be a
 * configured domain itself, not a subdomain of one: the SES identity, its DKIM key, its MAIL FROM
 * domain and the send permission all belong to exactly that domain, so a subdomain is listed as a
 * sending domain of its own.
 */
export function senderVerdict(rules: SenderRules, clubId: string, senderEmail: string): SenderVerdict {
  const domain = emailDomain(senderEmail);
  if (rules.mode === 'any') return { ok: true, domain };
  const config = rules.domains.find((d) => d.domain === domain);
  if (config?.clubId === clubId) return { ok: true, domain, config };
  if (config) {
    return { ok: false, domain, reason: 'other-club', message: `${domain} is a sending domain of another club` };
  }
  const own = clubDomains(rules, clubId).map((d) => d.domain);
  return {
    ok: false,
    domain,
    reason: 'unassigned',
    message:
      own.length > 0
        ? `${domain} is not a sending domain of club ${clubId}; use an address on ${own.join(' or ')}`
        : `${domain} is not a sending domain of club ${clubId}, which has none: an operator assigns one in the sendingDomains context value`,
  };
}
