import { dmarcAt, dmarcNames } from '../core/dmarc.js';
import { LookupError } from '../core/errors.js';
import type { Club } from '../core/model.js';
import { type SenderRules, senderVerdict } from '../core/sender-domain.js';
import {
  type DmarcFinding,
  domainStatus,
  judgeSendingDomain,
  notVerifiedReason,
  type SendingDomainReport,
  type SpfFinding,
} from '../core/sending-domain-report.js';
import type { DnsTxt, IdentityStatus } from '../core/sending-identity.js';
import type { Deps } from './deps.js';
import { invalid, type Refusal } from './refusal.js';

export type SenderCheckDeps = Pick<Deps, 'sendingDomains' | 'identities' | 'dns'>;

/**
 * The sender check (GET /api/clubs/:club/sending/domain): whether the club's sender is on its own
 * domain, what SES says of that domain, the DMARC record receivers find for it and the SPF record of
 * its MAIL FROM domain. Another club's domain, or one nobody was assigned, is not looked up at all.
 */
export async function checkSendingDomain(deps: SenderCheckDeps, club: Club): Promise<SendingDomainReport> {
  const verdict = senderVerdict(deps.sendingDomains, club.clubId, club.senderEmail);
  const base = { clubId: club.clubId, senderEmail: club.senderEmail, checked: deps.sendingDomains.mode, verdict };
  if (!verdict.ok) return judgeSendingDomain({ ...base, dmarc: { kind: 'not-looked' }, spf: { kind: 'no-mail-from' } });
  const [identity, dmarc] = await Promise.all([
    deps.identities.status(verdict.domain),
    findDmarc(deps.dns, verdict.domain),
  ]);
  return judgeSendingDomain({ ...base, identity, dmarc, spf: await findSpf(deps.dns, identity) });
}

/**
 * A club's `senderEmail` that is not on one of its own sending domains, as a refusal naming the
 * field (PUT /api/clubs/:club); undefined when it is, or when no domains are configured.
 */
export function senderRefusal(rules: SenderRules, clubId: string, senderEmail: string): Refusal | undefined {
  const verdict = senderVerdict(rules, clubId, senderEmail);
  return verdict.ok ? undefined : invalid([{ path: 'senderEmail', message: verdict.message }]);
}

/**
 * Why campaigns of this club cannot be scheduled now, naming `senderEmail`, or undefined when its
 * sender is its own and SES has verified the domain. Without configured domains nothing is checked.
 */
export async function senderNotReady(
  deps: Pick<Deps, 'sendingDomains' | 'identities'>,
  club: Club,
): Promise<string | undefined> {
  const verdict = senderVerdict(deps.sendingDomains, club.clubId, club.senderEmail);
  if (!verdict.ok) return `senderEmail: ${verdict.message}`;
  if (deps.sendingDomains.mode === 'any') return undefined;
  const identity = await deps.identities.status(verdict.domain);
  const status = domainStatus(identity);
  return status === 'verified' ? undefined : `senderEmail: ${notVerifiedReason(verdict.domain, status, identity)}`;
}

/** The DMARC record a receiver finds: at the From domain, else at the nearest parent (dmarc.ts). */
async function findDmarc(dns: DnsTxt, domain: string): Promise<DmarcFinding> {
  const looked: string[] = [];
  try {
    for (const name of dmarcNames(domain)) {
      looked.push(name);
      const at = dmarcAt(await dns.txt(name));
      if (at.kind === 'record') return { kind: 'found', name, record: at.record };
      if (at.kind === 'invalid') return { kind: 'invalid', name, text: at.text, problem: at.problem };
    }
  } catch (error: unknown) {
    if (error instanceof LookupError) return { kind: 'lookup-failed', message: error.message };
    throw error;
  }
  return { kind: 'none', looked };
}

/** The TXT records of the identity's custom MAIL FROM domain, where its SPF record lives. */
async function findSpf(dns: DnsTxt, identity: IdentityStatus): Promise<SpfFinding> {
  if (!identity.found || !identity.mailFrom) return { kind: 'no-mail-from' };
  const domain = identity.mailFrom.domain;
  try {
    return { kind: 'found', domain, records: await dns.txt(domain) };
  } catch (error: unknown) {
    if (error instanceof LookupError) return { kind: 'lookup-failed', domain, message: error.message };
    throw error;
  }
}
