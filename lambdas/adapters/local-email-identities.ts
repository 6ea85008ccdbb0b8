import type { EmailIdentities, IdentityStatus } from '../core/sending-identity.js';
import { type LocalIdentityKind, localIdentity } from './local-sending-fixtures.js';

/**
 * The local stand-in for SES's GetEmailIdentity, which the local SES emulator lacks: each domain has
 * one of the fixture kinds (local-sending-fixtures.ts); a domain it was never told of has no identity.
 * Tests may change a domain's kind while the system runs, as DNS changes do on AWS.
 */
export class LocalEmailIdentities implements EmailIdentities {
  private readonly statuses = new Map<string, IdentityStatus>();

  constructor(
    entries: Iterable<{ readonly domain: string; readonly kind: LocalIdentityKind; readonly mailFrom: string }>,
  ) {
    for (const entry of entries) this.set(entry.domain, entry.kind, entry.mailFrom);
  }

  /** Give `domain` the status of `kind`, with its MAIL FROM domain (`bounce.<domain>` by default). */
  set(domain: string, kind: LocalIdentityKind, mailFrom = `bounce.${domain}`): void {
    this.statuses.set(domain, localIdentity(kind, mailFrom));
  }

  async status(domain: string): Promise<IdentityStatus> {
    return this.statuses.get(domain) ?? { found: false };
  }
}
