import type { FileStore } from '../../core/import-ports.js';

/** Bytes per piece of a read stream: what a Node file stream gives. */
const STREAM_PIECE = 64 * 1024;

/** Objects by key in a Map, taking uploads itself like the local folder store: the in-memory twin of S3FileStore. */
export class MemoryFileStore implements FileStore {
  readonly directUploads = true;
  private readonly objects = new Map<string, Uint8Array>();

  constructor(private readonly uploadBase = 'http://memory.invalid/api/uploads') {}

  async uploadUrl(key: string): Promise<string> {
    return `${this.uploadBase}/${encodeURIComponent(key)}`;
  }

  async write(key: string, body: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    if (typeof body === 'string') this.objects.set(key, new TextEncoder().encode(body));
    else if (body instanceof Uint8Array) this.objects.set(key, new Uint8Array(body));
    else {
      const parts: Uint8Array[] = [];
      for await (const part of body) parts.push(part);
      this.objects.set(key, new Uint8Array(Buffer.concat(parts)));
    }
  }

  async read(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const bytes = this.objects.get(key);
    if (!bytes) return undefined;
    // In pieces, as a file or S3 stream comes: readers must not depend on getting it whole.
    return (async function* () {
      for (let at = 0; at < bytes.byteLength; at += STREAM_PIECE) yield bytes.slice(at, at + STREAM_PIECE);
    })();
  }

  async size(key: string): Promise<number | undefined> {
    return this.objects.get(key)?.byteLength;
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const key of [...this.objects.keys()]) if (key.startsWith(prefix)) this.objects.delete(key);
  }
}
