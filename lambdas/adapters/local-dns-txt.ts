import type { DnsTxt } from '../core/sending-identity.js';

/**
 * The local stand-in for DNS: TXT records by name, from the documented fixtures
 * (local-sending-fixtures.ts) and whatever a test adds. A name it was never given has no records.
 */
export class LocalDnsTxt implements DnsTxt {
  private readonly records = new Map<string, readonly string[]>();

  constructor(records: Iterable<readonly [string, readonly string[]]> = []) {
    for (const [name, texts] of records) this.set(name, texts);
  }

  /** Replace the TXT records of `name` (none: `[]`). */
  set(name: string, texts: readonly string[]): void {
    this.records.set(name.toLowerCase(), [...texts]);
  }

  async txt(name: string): Promise<readonly string[]> {
    return this.records.get(name.toLowerCase()) ?? [];
  }
}
