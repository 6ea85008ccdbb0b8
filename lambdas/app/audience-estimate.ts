import { createHash } from 'node:crypto';
import { z } from 'zod';
import { compileAudience, type SavedAudience } from '../core/audience.js';
import { AudienceFact, eligibilityOfFact, factOf, PurchaseFact, subjectOfFact } from '../core/audience-facts.js';
import { type AudienceRule, walkRule } from '../core/audience-rules.js';
import { checkEligibility } from '../core/eligibility.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import type { Topic } from '../core/model.js';
import type { Deps } from './deps.js';
import { fileBlocks } from './import-files.js';

/** Up to this many members an estimate is exact; above it, it counts a sample of about this many. */
export const EXACT_ESTIMATE_MEMBERS = 100_000;
/** Facts older than this are rebuilt (the estimate answers from them meanwhile and says how old). */
export const FACTS_MAX_AGE_MS = 60 * 60 * 1000;
export const SAMPLE_SIZE = 20;

/** Where a club's facts live in the file store (under imports/, as the import files: 30 days at most). */
export const FactsFiles = {
  data: (clubId: string) => `imports/${clubId}/audience-facts/facts.ndjson`,
  /** Line for line beside `data`: each member's purchases, read only for rules about purchases. */
  purchases: (clubId: string) => `imports/${clubId}/audience-facts/purchases.ndjson`,
  meta: (clubId: string) => `imports/${clubId}/audience-facts/meta.json`,
} as const;

const FactsMeta = z.object({
  asOf: z.iso.datetime(),
  /** Members in the file, and the plan shards read for it (of MEMBER_SHARDS): fewer than all is a sample. */
  members: z.number().int().min(0),
  shardsRead: z.number().int().min(1),
  shards: z.number().int().min(1),
});
type FactsMeta = z.infer<typeof FactsMeta>;

type FactsDeps = Pick<Deps, 'clubs' | 'members' | 'files' | 'clock' | 'log'>;

/**
 * Write the club's audience facts: every member while the club has at most EXACT_ESTIMATE_MEMBERS,
 * else whole member shards until that many are read (members fall into shards by a hash of their
 * id, so a set of shards is a uniform sample). Run by the import worker (`audience-facts` step).
 */
export async function buildAudienceFacts(deps: FactsDeps, clubId: string): Promise<FactsMeta | undefined> {
  const club = await deps.clubs.getClub(clubId);
  if (!club) return undefined;
  const now = deps.clock.now();
  const engagement = club.engagement;
  let members = 0;
  let shardsRead = 0;
  // The purchases lines wait in memory (in blocks) while the facts stream out: a file store writes one
  // object at a time. Both files are written from the same pages, so line i of each is the same member.
  const purchaseBlocks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  async function* lines(): AsyncGenerator<Uint8Array> {
    for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
      if (members > EXACT_ESTIMATE_MEMBERS) break;
      let cursor: string | undefined;
      do {
        const page = await deps.members.listShard(clubId, shard, cursor, 100);
        const facts = page.states.map((state) => factOf(state, engagement, now));
        members += page.states.length;
        if (facts.length > 0) {
          purchaseBlocks.push(encoder.encode(facts.map((f) => `${JSON.stringify(f.purchases)}\n`).join('')));
          yield encoder.encode(facts.map((f) => `${JSON.stringify(f.fact)}\n`).join(''));
        }
        cursor = page.cursor;
      } while (cursor);
      shardsRead += 1;
    }
  }
  await deps.files.write(FactsFiles.data(clubId), lines());
  await deps.files.write(FactsFiles.purchases(clubId), purchaseBlocks.length > 0 ? Buffer.concat(purchaseBlocks) : '');
  const meta: FactsMeta = { asOf: now.toISOString(), members, shardsRead, shards: MEMBER_SHARDS };
  await deps.files.write(FactsFiles.meta(clubId), JSON.stringify(meta));
  loaded.delete(clubId);
  deps.log.info('audience facts written', { clubId, members, shardsRead });
  return meta;
}

interface LoadedFacts {
  readonly meta: FactsMeta;
  readonly facts: readonly AudienceFact[];
  /** Read on the first rule about purchases. */
  purchases?: readonly PurchaseFact[];
}

/** The last facts read per club in this process: a marketer's builder asks again as rules change. */
const loaded = new Map<string, LoadedFacts>();

async function readMeta(deps: Pick<Deps, 'files'>, clubId: string): Promise<FactsMeta | undefined> {
  let text = '';
  for await (const block of fileBlocks(deps.files, FactsFiles.meta(clubId), false)) text += block;
  if (text === '') return undefined;
  return FactsMeta.parse(JSON.parse(text));
}

async function readLines<T>(
  deps: Pick<Deps, 'files'>,
  key: string,
  schema: { parse(value: unknown): T },
): Promise<T[]> {
  const out: T[] = [];
  for await (const block of fileBlocks(deps.files, key, false)) {
    // One parse per block of whole lines (our own NDJSON): a fraction of the time of one per line.
    const lines = block.split('\n').filter((line) => line !== '');
    const values: unknown = JSON.parse(`[${lines.join(',')}]`);
    if (!Array.isArray(values)) throw new Error(`${key}: not JSON lines`);
    for (const value of values) out.push(schema.parse(value));
  }
  return out;
}

async function loadFacts(
  deps: Pick<Deps, 'files' | 'log'>,
  clubId: string,
  withPurchases: boolean,
): Promise<LoadedFacts | undefined> {
  const meta = await readMeta(deps, clubId);
  if (!meta) return undefined;
  let result = loaded.get(clubId);
  // Rewritten facts have a new meta (its time, and its members and shards): read them again.
  if (!result || JSON.stringify(result.meta) !== JSON.stringify(meta)) {
    result = { meta, facts: await readLines(deps, FactsFiles.data(clubId), AudienceFact) };
    loaded.clear();
    loaded.set(clubId, result);
  }
  if (withPurchases && !result.purchases) {
    const purchases = await readLines(deps, FactsFiles.purchases(clubId), PurchaseFact);
    // Written from the same pages: a file that does not match line for line is not used.
    if (purchases.length === result.facts.length) result.purchases = purchases;
  }
  return result;
}

/** Whether a rule (with the saved audiences it includes) reads purchases. */
function readsPurchases(
  rule: AudienceRule,
  audiences: ReadonlyMap<string, AudienceRule>,
  seen = new Set<string>(),
): boolean {
  for (const [node] of walkRule(rule)) {
    if (node.rule === 'bought' || node.rule === 'spent' || node.rule === 'last-purchase') return true;
    if (node.rule === 'audience' && !seen.has(node.audienceId)) {
      seen.add(node.audienceId);
      const inner = audiences.get(node.audienceId);
      if (inner && readsPurchases(inner, audiences, seen)) return true;
    }
  }
  return false;
}

/** What `POST …/audiences/:id/estimate` answers. */
export interface AudienceEstimate {
  readonly audienceId: string;
  /** When the facts counted were taken (see `FACTS_MAX_AGE_MS`). */
  readonly asOf: string;
  /** True when every member was counted; false for a sample (then `margin` is set). */
  readonly exact: boolean;
  /** The club's members (estimated from the sample when not exact). */
  readonly members: number;
  /** Members in the audience. */
  readonly count: number;
  /** Of those, members the campaign's topic may reach: consent, not unsubscribed, bounced or paused, topic chosen. */
  readonly reachable: number;
  /** With a sample: ± this many for `count` and `reachable`, at 95 % confidence. */
  readonly margin?: {
    readonly count: number;
    readonly reachable: number;
    readonly confidence: 0.95;
    readonly sampled: number;
  };
  /** Up to SAMPLE_SIZE members in the audience, each with why they match. */
  readonly sample: ReadonlyArray<{ readonly memberId: string; readonly why: readonly string[] }>;
}

export type EstimateOutcome =
  | { readonly kind: 'estimate'; readonly estimate: AudienceEstimate; readonly stale: boolean }
  | { readonly kind: 'preparing' };

/**
 * Count an audience over the club's facts: exact up to EXACT_ESTIMATE_MEMBERS members, a sample with
 * its 95 % margin above. When there are no facts yet, or they are older than FACTS_MAX_AGE_MS, the
 * caller queues a rebuild (`stale` / `preparing`).
 */
export async function estimateAudience(
  deps: Pick<Deps, 'clubs' | 'files' | 'clock' | 'log'>,
  audience: SavedAudience,
  saved: readonly SavedAudience[],
  topic: Topic,
): Promise<EstimateOutcome> {
  const club = await deps.clubs.getClub(audience.clubId);
  const rules = new Map(saved.map((a) => [a.audienceId, a.rule]));
  const data = await loadFacts(deps, audience.clubId, readsPurchases(audience.rule, rules));
  if (!club || !data) return { kind: 'preparing' };
  const now = deps.clock.now();
  const compiled = compileAudience(
    audience,
    { clubId: club.clubId, attributes: club.attributes ?? [], audiences: rules },
    now,
  );
  const subjectAt = (i: number, fact: AudienceFact) => subjectOfFact(club.clubId, fact, data.purchases?.[i]);
  let count = 0;
  let reachable = 0;
  // The sample: the matching members with the smallest hash of (audience, member), the same on every call.
  const picked: Array<{ rank: string; i: number; fact: AudienceFact }> = [];
  for (const [i, fact] of data.facts.entries()) {
    if (!compiled.test(subjectAt(i, fact))) continue;
    count += 1;
    if (checkEligibility(eligibilityOfFact(fact), topic, now).eligible) reachable += 1;
    const rank = createHash('sha1').update(`${audience.audienceId}\u0000${fact.m}`).digest('hex');
    if (picked.length < SAMPLE_SIZE || rank < (picked.at(-1)?.rank ?? '')) {
      picked.push({ rank, i, fact });
      picked.sort((a, b) => (a.rank < b.rank ? -1 : 1));
      if (picked.length > SAMPLE_SIZE) picked.pop();
    }
  }
  const sample = picked
    .map(({ i, fact }) => ({ memberId: fact.m, why: compiled.explain(subjectAt(i, fact)).why }))
    .sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  const exact = data.meta.shardsRead >= data.meta.shards;
  const scale = data.meta.shards / data.meta.shardsRead;
  const n = data.facts.length;
  const margin = (k: number) => {
    const p = n > 0 ? k / n : 0;
    return Math.round(1.96 * Math.sqrt((p * (1 - p)) / Math.max(1, n)) * n * scale);
  };
  const estimate: AudienceEstimate = {
    audienceId: audience.audienceId,
    asOf: data.meta.asOf,
    exact,
    members: Math.round(n * scale),
    count: Math.round(count * scale),
    reachable: Math.round(reachable * scale),
    ...(exact ? {} : { margin: { count: margin(count), reachable: margin(reachable), confidence: 0.95, sampled: n } }),
    sample,
  };
  const stale = now.getTime() - Date.parse(data.meta.asOf) > FACTS_MAX_AGE_MS;
  return { kind: 'estimate', estimate, stale };
}
