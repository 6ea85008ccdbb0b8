import { type AlignmentMode, aligned, type DmarcPolicy, type DmarcRecord, spfAuthorizesSes } from './dmarc.js';
import type { SenderVerdict } from './sender-domain.js';
import type { IdentityStatus } from './sending-identity.js';
import { assertNever } from './units.js';

/** The domain SES authenticates mail with when the club's own DKIM or MAIL FROM is not in effect. */
export const SES_OWN_DOMAIN = 'amazonses.com';

/** Where the sending domain stands with SES, in the words the sender check answers with. */
export type DomainStatus =
  | 'verified'
  | 'pending'
  | 'failed'
  | 'temporary-failure'
  | 'not-started'
  | 'no-identity'
  | 'not-assigned';

/** The DMARC record a receiver would find for the From domain (lambdas/core/dmarc.ts). */
export type DmarcFinding =
  | { readonly kind: 'found'; readonly name: string; readonly record: DmarcRecord }
  | { readonly kind: 'invalid'; readonly name: string; readonly text: string; readonly problem: string }
  | { readonly kind: 'none'; readonly looked: readonly string[] }
  | { readonly kind: 'lookup-failed'; readonly message: string }
  | { readonly kind: 'not-looked' };

/** The SPF record of the identity's custom MAIL FROM domain. */
export type SpfFinding =
  | { readonly kind: 'found'; readonly domain: string; readonly records: readonly string[] }
  | { readonly kind: 'lookup-failed'; readonly domain: string; readonly message: string }
  | { readonly kind: 'no-mail-from' };

/** Everything the sender check read about one club's sender: the rules, SES and DNS. */
export interface DomainFacts {
  readonly clubId: string;
  readonly senderEmail: string;
  readonly checked: 'configured' | 'any';
  readonly verdict: SenderVerdict;
  /** Not read when the sender is not the club's own. */
  readonly identity?: IdentityStatus;
  readonly dmarc: DmarcFinding;
  readonly spf: SpfFinding;
}

export interface SendingDomainReport {
  readonly senderEmail: string;
  readonly domain: string;
  /** `any`: no sending domains are configured, so senders are not checked (local test systems only). */
  readonly checked: 'configured' | 'any';
  readonly status: DomainStatus;
  /** Whether campaigns may be scheduled and sent from this sender now. */
  readonly canSend: boolean;
  /** Why not, when `canSend` is false. */
  readonly reason?: string;
  readonly identity: IdentityStatus | null;
  readonly dmarc: {
    readonly found: boolean;
    readonly name?: string;
    readonly record?: string;
    readonly policy?: DmarcPolicy;
    /** The policy applied to this sender: `sp` when the record was found on a parent domain. */
    readonly appliedPolicy?: DmarcPolicy;
    readonly pct?: number;
    readonly rua?: readonly string[];
    readonly problem?: string;
  };
  readonly alignment: {
    readonly dkim: { readonly domain: string; readonly mode: AlignmentMode; readonly aligned: boolean };
    readonly spf: {
      readonly domain: string;
      readonly mode: AlignmentMode;
      readonly aligned: boolean;
      readonly record: string | null;
      readonly authorizesSes: boolean;
    };
    /** DMARC passes when either is aligned (and, for SPF, the record lets SES send). */
    readonly dmarcPasses: boolean;
  } | null;
  readonly warnings: readonly string[];
}

/** The MAIL FROM domain mail leaves with: the custom one once SES found its MX record, else SES's own. */
export function mailFromInUse(identity: IdentityStatus | undefined): string {
  return identity?.found && identity.mailFrom?.status === 'SUCCESS' ? identity.mailFrom.domain : SES_OWN_DOMAIN;
}

/**
 * The domain mail is DKIM-signed with: the identity's own Easy DKIM key once it is verified and on
 * (SES keeps signing through a temporary failure to read the records), else only SES's own.
 */
export function dkimDomainInUse(identity: IdentityStatus | undefined, domain: string): string {
  const signing =
    identity?.found &&
    identity.dkim.signingEnabled &&
    (identity.dkim.status === 'SUCCESS' || identity.dkim.status === 'TEMPORARY_FAILURE');
  return signing ? domain : SES_OWN_DOMAIN;
}

/** The identity's state in the sender check's words; only `verified` may send. */
export function domainStatus(identity: IdentityStatus): DomainStatus {
  if (!identity.found) return 'no-identity';
  if (identity.verifiedForSending) return 'verified';
  switch (identity.verificationStatus) {
    case 'PENDING':
      return 'pending';
    case 'FAILED':
      return 'failed';
    case 'TEMPORARY_FAILURE':
      return 'temporary-failure';
    default:
      return identity.verificationStatus === 'SUCCESS' ? 'pending' : 'not-started';
  }
}

/** Why a sender whose domain is not verified cannot send, and what the operator does about it. */
export function notVerifiedReason(domain: string, status: DomainStatus, identity: IdentityStatus | undefined): string {
  const dkim = identity?.found ? `DKIM ${identity.dkim.status}` : 'no identity';
  const error = identity?.found && identity.verificationError ? `, ${identity.verificationError}` : '';
  switch (status) {
    case 'no-identity':
      return `SES has no identity for ${domain}: deploy the stack with ${domain} in its sendingDomains context value`;
    case 'pending':
    case 'not-started':
      return `SES has not verified ${domain} yet (${dkim}): publish the three DKIM CNAME records the stack outputs; SES looks for them for up to 72 hours`;
    case 'failed':
      return `SES could not verify ${domain} (${dkim}${error}): publish the three DKIM CNAME records the stack outputs, then restart the verification in the SES console`;
    case 'temporary-failure':
      return `SES cannot check ${domain} right now (${dkim}${error}): make sure its DKIM CNAME records resolve`;
    default:
      return `${domain} cannot send (${status})`;
  }
}

/**
 * The sender check's answer (GET /api/clubs/:club/sending/domain): the sender's domain, whether it
 * belongs to the club and SES verified it (which alone decides `canSend`), the DMARC record a
 * receiver would find, and whether SPF and DKIM align with the From domain, with what to fix.
 */
export function judgeSendingDomain(facts: DomainFacts): SendingDomainReport {
  const { verdict } = facts;
  const domain = verdict.domain;
  const warnings: string[] = [];
  if (facts.checked === 'any') {
    warnings.push('No sending domains are configured, so no sender is checked: only local test systems run so.');
  }
  if (!verdict.ok) {
    return {
      senderEmail: facts.senderEmail,
      domain,
      checked: facts.checked,
      status: 'not-assigned',
      canSend: false,
      reason: verdict.message,
      identity: null,
      dmarc: { found: false },
      alignment: null,
      warnings,
    };
  }
  const identity = facts.identity ?? { found: false };
  const status = domainStatus(identity);
  const canSend = status === 'verified';
  if (identity.found && identity.verificationStatus === 'TEMPORARY_FAILURE') {
    warnings.push(
      `SES cannot check ${domain}'s DKIM records right now; they must keep resolving, or SES stops the domain.`,
    );
  }

  const dmarc = dmarcPart(facts.dmarc, domain, warnings);
  const record = facts.dmarc.kind === 'found' ? facts.dmarc.record : undefined;
  const dkimDomain = dkimDomainInUse(identity, domain);
  const dkimMode = record?.adkim ?? 'relaxed';
  const dkimAligned = aligned(dkimMode, dkimDomain, domain);
  const spfDomain = mailFromInUse(identity);
  const spfMode = record?.aspf ?? 'relaxed';
  const spfAligned = aligned(spfMode, spfDomain, domain);
  const spfRecords = facts.spf.kind === 'found' ? facts.spf.records.filter((t) => /^v=spf1(\s|$)/i.test(t.trim())) : [];
  const spfRecord = spfRecords[0] ?? null;
  // SES's own MAIL FROM domain always lets SES send; a custom one needs its SPF record.
  const authorizesSes = spfDomain === SES_OWN_DOMAIN || (spfRecord !== null && spfAuthorizesSes(spfRecord));
  const dmarcPasses = dkimAligned || (spfAligned && authorizesSes);

  if (!dkimAligned) {
    warnings.push(
      identity.found && !identity.dkim.signingEnabled
        ? `DKIM is not aligned: signing with ${domain}'s own key is turned off on the SES identity, so SES signs with ${SES_OWN_DOMAIN} only; turn Easy DKIM signing back on.`
        : `DKIM is not aligned: SES signs with ${SES_OWN_DOMAIN} until ${domain}'s DKIM records are verified.`,
    );
  }
  if (!spfAligned) {
    warnings.push(
      spfDomain === SES_OWN_DOMAIN
        ? `SPF is not aligned: mail leaves with SES's own MAIL FROM domain (${SES_OWN_DOMAIN}) until the MX record of the MAIL FROM domain${identity.found && identity.mailFrom ? ` ${identity.mailFrom.domain} (${identity.mailFrom.status})` : ''} is found.`
        : `SPF is not aligned: the DMARC record asks for strict SPF alignment (aspf=s), and the MAIL FROM domain ${spfDomain} is a subdomain of ${domain}; DMARC then rests on DKIM alone.`,
    );
  }
  spfWarnings(facts.spf, spfRecords, spfRecord, warnings);
  if (!dmarcPasses && record) {
    warnings.push(
      `DMARC fails for this sender: neither DKIM nor SPF is aligned, and the policy (${dmarc.appliedPolicy ?? record.policy}) tells receivers what to do with such mail.`,
    );
  }
  return {
    senderEmail: facts.senderEmail,
    domain,
    checked: facts.checked,
    status,
    canSend,
    ...(canSend ? {} : { reason: notVerifiedReason(domain, status, identity) }),
    identity,
    dmarc,
    alignment: {
      dkim: { domain: dkimDomain, mode: dkimMode, aligned: dkimAligned },
      spf: { domain: spfDomain, mode: spfMode, aligned: spfAligned, record: spfRecord, authorizesSes },
      dmarcPasses,
    },
    warnings,
  };
}

function dmarcPart(finding: DmarcFinding, domain: string, warnings: string[]): SendingDomainReport['dmarc'] {
  switch (finding.kind) {
    case 'found': {
      const { record, name } = finding;
      const atParent = name !== `_dmarc.${domain}`;
      const appliedPolicy = atParent ? (record.subdomainPolicy ?? record.policy) : record.policy;
      return {
        found: true,
        name,
        record: record.text,
        policy: record.policy,
        appliedPolicy,
        pct: record.pct,
        rua: record.rua,
      };
    }
    case 'invalid':
      warnings.push(
        `The DMARC record at ${finding.name} ${finding.problem}, so receivers ignore it: publish one valid record (the stack's Dmarc output).`,
      );
      return { found: false, name: finding.name, record: finding.text, problem: finding.problem };
    case 'none':
      warnings.push(
        `No DMARC record at ${finding.looked.join(' or ')}: Gmail and Yahoo require one from bulk senders; publish the stack's Dmarc output (p=none to start).`,
      );
      return { found: false };
    case 'lookup-failed':
      warnings.push(`The DMARC record could not be looked up: ${finding.message}`);
      return { found: false, problem: finding.message };
    case 'not-looked':
      return { found: false };
    default:
      return assertNever(finding);
  }
}

function spfWarnings(finding: SpfFinding, records: readonly string[], record: string | null, warnings: string[]): void {
  if (finding.kind === 'lookup-failed') {
    warnings.push(`The SPF record of ${finding.domain} could not be looked up: ${finding.message}`);
  } else if (finding.kind === 'found' && record === null) {
    warnings.push(`${finding.domain} has no SPF record: publish the stack's MailFromSpf output.`);
  } else if (finding.kind === 'found' && records.length > 1) {
    warnings.push(
      `${finding.domain} has ${records.length} SPF records; receivers treat that as an error (RFC 7208 4.5).`,
    );
  } else if (finding.kind === 'found' && record !== null && !spfAuthorizesSes(record)) {
    warnings.push(
      `The SPF record of ${finding.domain} does not include amazonses.com, so SPF fails for mail SES sends.`,
    );
  }
}
