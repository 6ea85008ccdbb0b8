/**
 * The files an audience estimate reads (docs/decisions/0050-audience-estimates.md): the facts (one
 * line per member), the purchase postings (one line per category and product, in PURCHASE_BUCKETS
 * files), the spend lines (line for line with the facts) and the meta, written last. Writing and
 * reading them, and the last club's facts kept in this process.
 */
import { z } from 'zod';
import { AudienceFact, type PurchaseFact } from '../core/audience-facts.js';
import {
  bucketOf,
  Posting,
  PostingsBuilder,
  PostingsHeader,
  postingPrefix,
  SpendLine,
  spendLineOf,
} from '../core/audience-postings.js';
import type { FileStore } from '../core/import-ports.js';
import { fileBlocks } from './import-files.js';

/** Where a club's facts live in the file store (under imports/, as the import files: 30 days at most). */
export const FactsFiles = {
  data: (clubId: string) => `imports/${clubId}/audience-facts/facts.ndjson`,
  /** One line per category and product with its members, spread over PURCHASE_BUCKETS files. */
  postings: (clubId: string, bucket: number) =>
    `imports/${clubId}/audience-facts/postings/${String(bucket).padStart(2, '0')}.ndjson`,
  /** Line for line beside `data`: shopping dates and amounts, read only for `spent` rules. */
  spend: (clubId: string) => `imports/${clubId}/audience-facts/spend.ndjson`,
  meta: (clubId: string) => `imports/${clubId}/audience-facts/meta.json`,
} as const;

export const FactsMeta = z.object({
  asOf: z.iso.datetime(),
  /** Members in the file, and the plan shards read for it (of MEMBER_SHARDS): fewer than all is a sample. */
  members: z.number().int().min(0),
  shardsRead: z.number().int().min(1),
  shards: z.number().int().min(1),
});
export type FactsMeta = z.infer<typeof FactsMeta>;

/** One member as the facts files hold it. */
export interface MemberFacts {
  readonly fact: AudienceFact;
  readonly purchases: PurchaseFact;
}

/**
 * Write a club's facts files from pages of members, then the meta that `finish` gives (it is called
 * once every page is read, with the count). The postings wait in memory as flat arrays of numbers
 * (about 2 KB a member of the bench's, 3–22 receipts of 20 lines in two years: ~200 MB for 100,000 in the 1024 MB import worker), and one bucket's text at a time while the facts stream out.
 */
export async function writeFactsFiles(
  files: FileStore,
  clubId: string,
  pages: AsyncIterable<readonly MemberFacts[]> | Iterable<readonly MemberFacts[]>,
  finish: (members: number) => FactsMeta,
): Promise<FactsMeta> {
  const encoder = new TextEncoder();
  const postings = new PostingsBuilder();
  const spendBlocks: Uint8Array[] = [];
  let members = 0;
  async function* lines(): AsyncGenerator<Uint8Array> {
    for await (const page of pages) {
      if (page.length === 0) continue;
      for (const [k, member] of page.entries()) postings.add(members + k, member.purchases);
      members += page.length;
      spendBlocks.push(encoder.encode(page.map((m) => `${JSON.stringify(spendLineOf(m.purchases))}\n`).join('')));
      yield encoder.encode(page.map((m) => `${JSON.stringify(m.fact)}\n`).join(''));
    }
  }
  await files.write(FactsFiles.data(clubId), lines());
  await files.write(FactsFiles.spend(clubId), spendBlocks.length > 0 ? Buffer.concat(spendBlocks) : '');
  const meta = finish(members);
  let bucket = 0;
  for (const text of postings.buckets({ asOf: meta.asOf, members }))
    await files.write(FactsFiles.postings(clubId, bucket++), text);
  await files.write(FactsFiles.meta(clubId), JSON.stringify(meta));
  return meta;
}

export interface LoadedFacts {
  readonly meta: FactsMeta;
  readonly facts: readonly AudienceFact[];
  /** Postings read so far, by key (an empty posting for a key nobody bought). */
  readonly postings: Map<string, Posting>;
  /** Read on the first rule about spend. */
  spend?: readonly SpendLine[];
}

/** The last facts read per club in this process: a marketer's builder asks again as rules change. */
const loaded = new Map<string, LoadedFacts>();

/** Forget the facts kept for a club (after they were rewritten in this process). */
export const forgetFacts = (clubId: string) => loaded.delete(clubId);

async function readText(files: FileStore, key: string): Promise<string> {
  let text = '';
  for await (const block of fileBlocks(files, key, false)) text += block;
  return text;
}

async function readLines<T>(files: FileStore, key: string, schema: { parse(value: unknown): T }): Promise<T[]> {
  const out: T[] = [];
  for await (const block of fileBlocks(files, key, false)) {
    // One parse per block of whole lines (our own NDJSON): a fraction of the time of one per line.
    const lines = block.split('\n').filter((line) => line !== '');
    const values: unknown = JSON.parse(`[${lines.join(',')}]`);
    if (!Array.isArray(values)) throw new Error(`${key}: not JSON lines`);
    for (const value of values) out.push(schema.parse(value));
  }
  return out;
}

/**
 * Read the postings of `keys` not read yet: each bucket file once, parsing only the lines asked for.
 * False when a bucket is missing or belongs to other facts: facts written before the postings layout
 * (an older release), or a rewrite caught between its postings and its meta.
 */
async function readPostings(
  files: FileStore,
  clubId: string,
  data: LoadedFacts,
  keys: ReadonlySet<string>,
): Promise<boolean> {
  const wanted = new Map<number, string[]>();
  for (const key of keys) {
    if (data.postings.has(key)) continue;
    const bucket = bucketOf(key);
    wanted.set(bucket, [...(wanted.get(bucket) ?? []), key]);
  }
  for (const [bucket, bucketKeys] of wanted) {
    const name = FactsFiles.postings(clubId, bucket);
    const text = await readText(files, name);
    const headerEnd = text.indexOf('\n');
    const header = PostingsHeader.safeParse(headerEnd < 0 ? undefined : JSON.parse(text.slice(0, headerEnd)));
    // Written with the facts, before their meta: postings of other facts are not used.
    if (!header.success || header.data.asOf !== data.meta.asOf || header.data.members !== data.facts.length)
      return false;
    for (const key of bucketKeys) {
      const prefix = `\n${postingPrefix(key)}`;
      const at = text.indexOf(prefix, headerEnd);
      if (at < 0) {
        data.postings.set(key, { k: key, i: [], n: [], o: [] });
        continue;
      }
      const end = text.indexOf('\n', at + 1);
      data.postings.set(key, Posting.parse(JSON.parse(text.slice(at + 1, end < 0 ? undefined : end))));
    }
  }
  return true;
}

/** Facts that cannot answer (see loadFacts): forget them, so the rewrite is read. */
function outOfDate(clubId: string): undefined {
  loaded.delete(clubId);
  return undefined;
}

/**
 * The club's facts, with the postings of `keys` and (when `spend`) the spend lines: read once per
 * version of the facts (their meta), then only what a new rule names in addition.
 */
export async function loadFacts(
  files: FileStore,
  clubId: string,
  needs: { readonly keys: ReadonlySet<string>; readonly spend: boolean },
): Promise<LoadedFacts | undefined> {
  const metaText = await readText(files, FactsFiles.meta(clubId));
  if (metaText === '') return undefined;
  const meta = FactsMeta.parse(JSON.parse(metaText));
  let result = loaded.get(clubId);
  // Rewritten facts have a new meta (its time, and its members and shards): read them again.
  if (!result || JSON.stringify(result.meta) !== JSON.stringify(meta)) {
    result = { meta, facts: await readLines(files, FactsFiles.data(clubId), AudienceFact), postings: new Map() };
    loaded.clear();
    loaded.set(clubId, result);
  }
  // Facts without postings of their own (another layout, or a rewrite under way) count as none yet:
  // the estimate answers `preparing` and the caller queues a rewrite, instead of failing.
  if (!(await readPostings(files, clubId, result, needs.keys))) return outOfDate(clubId);
  if (needs.spend && !result.spend) {
    const spend = await readLines(files, FactsFiles.spend(clubId), SpendLine);
    if (spend.length !== result.facts.length) return outOfDate(clubId);
    result.spend = spend;
  }
  return result;
}
