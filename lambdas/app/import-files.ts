import { BlockCutter } from '../core/block-cutter.js';
import type { FileStore } from '../core/import-ports.js';

/** Blocks of whole records of a stored file, decoded as UTF-8 as it streams: one block held at a time. */
export async function* fileBlocks(
  files: FileStore,
  key: string,
  csv: boolean,
  blockChars = 1 << 20,
): AsyncGenerator<string> {
  const stream = await files.read(key);
  if (!stream) return;
  const decoder = new TextDecoder('utf-8');
  const cutter = new BlockCutter(csv, blockChars);
  for await (const bytes of stream) yield* cutter.push(decoder.decode(bytes, { stream: true }));
  yield* cutter.push(decoder.decode());
  yield* cutter.end();
}

/** The lines of every file under a prefix, in key order (our own NDJSON parts). */
export async function* prefixLines(files: FileStore, prefix: string): AsyncGenerator<string> {
  for (const key of await files.list(prefix)) {
    for await (const block of fileBlocks(files, key, false)) {
      for (const line of block.split('\n')) if (line !== '') yield line;
    }
  }
}

/**
 * Writes NDJSON parts under keys it is given, flushing each buffer when it passes `flushChars`:
 * a file of any size goes through with bounded memory. Deterministic: the same lines in the same
 * order give the same parts under the same keys, so a re-run overwrites rather than adds.
 */
export class PartWriter {
  private readonly buffers = new Map<number, { text: string[]; chars: number; part: number }>();

  constructor(
    private readonly files: FileStore,
    private readonly keyOf: (bucket: number, part: number) => string,
    private readonly flushChars = 256 * 1024,
  ) {}

  async add(bucket: number, line: string): Promise<void> {
    const buffer = this.buffers.get(bucket) ?? { text: [], chars: 0, part: 0 };
    this.buffers.set(bucket, buffer);
    buffer.text.push(line);
    buffer.chars += line.length + 1;
    if (buffer.chars >= this.flushChars) await this.flush(bucket);
  }

  /** Write every buffer that holds lines. */
  async close(): Promise<void> {
    for (const bucket of [...this.buffers.keys()].sort((a, b) => a - b)) await this.flush(bucket);
  }

  private async flush(bucket: number): Promise<void> {
    const buffer = this.buffers.get(bucket);
    if (!buffer || buffer.text.length === 0) return;
    const body = `${buffer.text.join('\n')}\n`;
    const key = this.keyOf(bucket, buffer.part);
    buffer.text = [];
    buffer.chars = 0;
    buffer.part += 1;
    await this.files.write(key, body);
  }
}
