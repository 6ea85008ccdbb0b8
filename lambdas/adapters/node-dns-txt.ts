import { Resolver } from 'node:dns/promises';
import { LookupError } from '../core/errors.js';
import type { DnsTxt } from '../core/sending-identity.js';

/** The answers that mean "no such record", as opposed to a lookup that failed. */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * TXT lookups through node:dns/promises (c-ares, the system's resolvers unless `servers` names
 * others): each record's character-strings joined into one text, as RFC 7489 and RFC 7208 read them.
 */
export class NodeDnsTxt implements DnsTxt {
  private readonly resolver: Resolver;

  constructor(options: { readonly servers?: readonly string[]; readonly timeoutMs?: number } = {}) {
    this.resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: 2 });
    if (options.servers) this.resolver.setServers([...options.servers]);
  }

  async txt(name: string): Promise<readonly string[]> {
    try {
      const records = await this.resolver.resolveTxt(name);
      return records.map((chunks) => chunks.join(''));
    } catch (error: unknown) {
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'UNKNOWN';
      if (NO_RECORD.has(code)) return [];
      throw new LookupError(`the DNS lookup of ${name} TXT failed (${code})`, { cause: error });
    }
  }
}
