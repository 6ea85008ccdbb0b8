import { z } from 'zod';
import { prefixLines } from '../app/import-files.js';
import { csvLine } from '../core/csv.js';
import { ImportFiles } from '../core/import-job.js';
import type { FileStore } from '../core/import-ports.js';

/**
 * A CSV download made as it streams: the header, then one row per stored JSON line, cells made
 * formula-safe (csvLine). The API's and the console's import downloads both answer with it.
 */
function csvDownload<T extends Record<string, string | number>>(
  lines: AsyncIterable<string>,
  schema: z.ZodType<T>,
  columns: readonly (keyof T & string)[],
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = lines[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${csvLine(columns)}\n`));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      const row = schema.parse(JSON.parse(next.value));
      controller.enqueue(encoder.encode(`${csvLine(columns.map((column) => row[column] ?? ''))}\n`));
    },
  });
}

const RejectedLine = z.object({ line: z.number(), field: z.string(), message: z.string() });
const KeptLine = z.object({ member_id: z.string(), field: z.string(), owner: z.string(), why: z.string() });

/** An import job's rejected lines, or (member imports) the fields it kept, as a CSV download. */
export function importJobCsv(
  files: FileStore,
  clubId: string,
  jobId: string,
  kind: 'rejected' | 'kept',
): ReadableStream<Uint8Array> {
  return kind === 'rejected'
    ? csvDownload(prefixLines(files, ImportFiles.rejectedPrefix(clubId, jobId)), RejectedLine, [
        'line',
        'field',
        'message',
      ])
    : csvDownload(prefixLines(files, ImportFiles.keptPrefix(clubId, jobId)), KeptLine, [
        'member_id',
        'field',
        'owner',
        'why',
      ]);
}
