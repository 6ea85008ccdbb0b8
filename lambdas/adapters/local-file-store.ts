import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '../core/import-ports.js';

/**
 * The file store on this machine: a folder (`.data/imports` for `npm start`). Uploads go to the API
 * itself (`directUploads`), which streams them in; each write lands under a temporary name and is
 * renamed, so a reader never sees half a file.
 */
export class LocalFileStore implements FileStore {
  readonly directUploads = true;
  private readonly root: string;

  constructor(
    root: string,
    /** The upload URL for a key, e.g. the API route that takes the job's file. */
    private readonly uploadUrlOf: (key: string) => string,
  ) {
    this.root = resolve(root);
  }

  async uploadUrl(key: string): Promise<string> {
    this.path(key);
    return this.uploadUrlOf(key);
  }

  async write(key: string, body: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) await writeFile(temporary, body);
      else await pipeline(Readable.from(body), createWriteStream(temporary));
    } catch (error: unknown) {
      // A body cut off (over the route's limit, a dropped connection) leaves no half file behind.
      await rm(temporary, { force: true });
      throw error;
    }
    await rename(temporary, path);
  }

  async read(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const path = this.path(key);
    if ((await this.size(key)) === undefined) return undefined;
    return createReadStream(path, { highWaterMark: 256 * 1024 });
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const info = await stat(this.path(key));
      return info.isFile() ? info.size : undefined;
    } catch (error: unknown) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.path(prefix.endsWith('/') ? prefix.slice(0, -1) : dirname(prefix));
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: Array<{ name: string; isDirectory(): boolean }>;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error: unknown) {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.endsWith('.part')) keys.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    await walk(base);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const key of await this.list(prefix)) await rm(this.path(key), { force: true });
  }

  /** The file of a key; a key that would leave the folder is refused. */
  private path(key: string): string {
    const path = resolve(this.root, key);
    if (path !== this.root && !path.startsWith(`${this.root}${sep}`))
      throw new Error(`file key outside the store: ${key}`);
    return path;
  }
}
