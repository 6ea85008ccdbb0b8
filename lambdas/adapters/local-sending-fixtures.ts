import { DEFAULT_MAIL_FROM_SUBDOMAIN, type SendingDomain } from '../core/sending-domains.js';
import type { IdentityStatus } from '../core/sending-identity.js';

/**
 * What the local SES and DNS stand-ins answer for a sending domain, by name: the states the sender
 * check tells apart (README, "Sending domains"; docs/decisions/0030-club-sender-and-sender-check.md).
 *
 * | kind                | SES identity                     | DKIM (Easy DKIM)       | MAIL FROM        |
 * |---------------------|----------------------------------|------------------------|------------------|
 * | `verified`          | verified for sending, SUCCESS    | signing, SUCCESS       | SUCCESS          |
 * | `pending`           | not verified, PENDING            | signing, PENDING       | PENDING          |
 * | `failed`            | not verified, FAILED (HOST_NOT_FOUND) | signing, FAILED   | FAILED           |
 * | `temporary-failure` | verified, TEMPORARY_FAILURE      | signing, TEMPORARY_FAILURE | SUCCESS      |
 * | `misaligned`        | verified, SUCCESS                | signing turned off     | FAILED           |
 * | `no-identity`       | SES has no such identity         |                        |                  |
 */
export type LocalIdentityKind = 'verified' | 'pending' | 'failed' | 'temporary-failure' | 'misaligned' | 'no-identity';

/** The SES identity status of one kind, with its MAIL FROM domain. */
export function localIdentity(kind: LocalIdentityKind, mailFromDomain: string): IdentityStatus {
  const mailFrom = (status: 'PENDING' | 'SUCCESS' | 'FAILED') => ({
    domain: mailFromDomain,
    status,
    behaviorOnMxFailure: 'USE_DEFAULT_VALUE' as const,
  });
  switch (kind) {
    case 'verified':
      return {
        found: true,
        verifiedForSending: true,
        verificationStatus: 'SUCCESS',
        dkim: { signingEnabled: true, status: 'SUCCESS' },
        mailFrom: mailFrom('SUCCESS'),
      };
    case 'pending':
      return {
        found: true,
        verifiedForSending: false,
        verificationStatus: 'PENDING',
        dkim: { signingEnabled: true, status: 'PENDING' },
        mailFrom: mailFrom('PENDING'),
      };
    case 'failed':
      return {
        found: true,
        verifiedForSending: false,
        verificationStatus: 'FAILED',
        dkim: { signingEnabled: true, status: 'FAILED' },
        mailFrom: mailFrom('FAILED'),
        verificationError: 'HOST_NOT_FOUND',
      };
    case 'temporary-failure':
      return {
        found: true,
        verifiedForSending: true,
        verificationStatus: 'TEMPORARY_FAILURE',
        dkim: { signingEnabled: true, status: 'TEMPORARY_FAILURE' },
        mailFrom: mailFrom('SUCCESS'),
        verificationError: 'DNS_SERVER_ERROR',
      };
    case 'misaligned':
      return {
        found: true,
        verifiedForSending: true,
        verificationStatus: 'SUCCESS',
        dkim: { signingEnabled: false, status: 'SUCCESS' },
        mailFrom: mailFrom('FAILED'),
      };
    case 'no-identity':
      return { found: false };
  }
}

const SPF = 'v=spf1 include:amazonses.com ~all';

interface Fixture {
  readonly kind: LocalIdentityKind;
  /** The `_dmarc.<domain>` TXT record, if any. */
  readonly dmarc?: string;
  /** Whether `bounce.<domain>` has the SPF record the stack outputs. */
  readonly spf: boolean;
}

/**
 * The documented fixture domains: the two demo clubs' (verified, as the local SES treats them) and
 * one per state of the sender check. A test or `npm start` assigns them to clubs in its
 * sendingDomains; their MAIL FROM domain is `bounce.<domain>`.
 */
export const LOCAL_SENDING_FIXTURES: Readonly<Record<string, Fixture>> = {
  'stadsbutiken.example': {
    kind: 'verified',
    dmarc: 'v=DMARC1; p=none; rua=mailto:dmarc-reports@stadsbutiken.example',
    spf: true,
  },
  'boghandlen.example': {
    kind: 'verified',
    dmarc: 'v=DMARC1; p=quarantine; pct=25; rua=mailto:dmarc-reports@boghandlen.example',
    spf: true,
  },
  'verified.example': { kind: 'verified', dmarc: 'v=DMARC1; p=reject; rua=mailto:dmarc@verified.example', spf: true },
  'pending.example': { kind: 'pending', dmarc: 'v=DMARC1; p=none; rua=mailto:dmarc@pending.example', spf: true },
  'failed.example': { kind: 'failed', spf: false },
  'no-dmarc.example': { kind: 'verified', spf: true },
  'misaligned.example': {
    kind: 'misaligned',
    dmarc: 'v=DMARC1; p=quarantine; adkim=s; aspf=s; rua=mailto:dmarc@misaligned.example',
    spf: false,
  },
  'strict.example': {
    kind: 'verified',
    dmarc: 'v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:dmarc@strict.example',
    spf: true,
  },
};

/** The fixtures' TXT records, by DNS name. */
export function localFixtureRecords(): Map<string, string[]> {
  const records = new Map<string, string[]>();
  for (const [domain, fixture] of Object.entries(LOCAL_SENDING_FIXTURES)) {
    if (fixture.dmarc) records.set(`_dmarc.${domain}`, [fixture.dmarc]);
    if (fixture.spf) records.set(`bounce.${domain}`, [SPF]);
  }
  return records;
}

/**
 * What the local SES says of each domain: the fixtures' kinds, every configured domain that is not a
 * fixture as verified (the local SES treats a club's own domain so), and `overrides` over both.
 */
export function localIdentityEntries(
  configured: readonly SendingDomain[],
  overrides: Readonly<Record<string, LocalIdentityKind>> = {},
): Array<{ domain: string; kind: LocalIdentityKind; mailFrom: string }> {
  const entries = new Map<string, { domain: string; kind: LocalIdentityKind; mailFrom: string }>();
  for (const [domain, fixture] of Object.entries(LOCAL_SENDING_FIXTURES)) {
    entries.set(domain, { domain, kind: fixture.kind, mailFrom: `bounce.${domain}` });
  }
  for (const entry of configured) {
    const kind = entries.get(entry.domain)?.kind ?? 'verified';
    const mailFrom = `${entry.mailFromSubdomain ?? DEFAULT_MAIL_FROM_SUBDOMAIN}.${entry.domain}`;
    entries.set(entry.domain, { domain: entry.domain, kind, mailFrom });
  }
  for (const [domain, kind] of Object.entries(overrides)) {
    entries.set(domain, { domain, kind, mailFrom: entries.get(domain)?.mailFrom ?? `bounce.${domain}` });
  }
  return [...entries.values()];
}
