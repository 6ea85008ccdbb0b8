import { createHash } from 'node:crypto';
import { compileAudience, type SavedAudience } from '../core/audience.js';
import { type AudienceFact, eligibilityOfFact, factOf, subjectOfFact } from '../core/audience-facts.js';
import { PurchaseView, purchaseNeeds } from '../core/audience-postings.js';
import { checkEligibility } from '../core/eligibility.js';
import { armAt, drawOf, type Experiment } from '../core/experiment.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import type { Topic } from '../core/model.js';
import type { Deps } from './deps.js';

export { FactsFiles } from './audience-facts-files.js';

import { type FactsMeta, forgetFacts, loadFacts, type MemberFacts, writeFactsFiles } from './audience-facts-files.js';

/** Up to this many members an estimate is exact; above it, it counts a sample of about this many. */
export const EXACT_ESTIMATE_MEMBERS = 100_000;
/** Facts older than this are rebuilt (the estimate answers from them meanwhile and says how old). */
export const FACTS_MAX_AGE_MS = 60 * 60 * 1000;
export const SAMPLE_SIZE = 20;

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
  async function* pages(): AsyncGenerator<MemberFacts[]> {
    for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
      if (members > EXACT_ESTIMATE_MEMBERS) break;
      let cursor: string | undefined;
      do {
        const page = await deps.members.listShard(clubId, shard, cursor, 100);
        members += page.states.length;
        yield page.states.map((state) => factOf(state, engagement, now));
        cursor = page.cursor;
      } while (cursor);
      shardsRead += 1;
    }
  }
  const meta = await writeFactsFiles(deps.files, clubId, pages(), (count) => ({
    asOf: now.toISOString(),
    members: count,
    shardsRead,
    shards: MEMBER_SHARDS,
  }));
  forgetFacts(clubId);
  deps.log.info('audience facts written', { clubId, members, shardsRead });
  return meta;
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
  /**
   * Of those, members the campaign's topic may reach: consent, not unsubscribed, bounced or paused, topic
   * chosen, and, for any topic but surveys, not in the control group of the club's running experiment.
   */
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
  deps: Pick<Deps, 'clubs' | 'files' | 'experiments' | 'clock' | 'log'>,
  audience: SavedAudience,
  saved: readonly SavedAudience[],
  topic: Topic,
): Promise<EstimateOutcome> {
  const [club, experiment] = await Promise.all([
    deps.clubs.getClub(audience.clubId),
    deps.experiments.get(audience.clubId),
  ]);
  const heldForControl = controlTest(experiment, topic);
  const rules = new Map(saved.map((a) => [a.audienceId, a.rule]));
  const needs = purchaseNeeds(audience.rule, rules);
  const data = await loadFacts(deps.files, audience.clubId, needs);
  if (!club || !data) return { kind: 'preparing' };
  const now = deps.clock.now();
  const compiled = compileAudience(
    audience,
    { clubId: club.clubId, attributes: club.attributes ?? [], audiences: rules },
    now,
  );
  // Purchases come from the postings of the categories and products the rule names, and only when it reads any.
  const view = needs.any ? new PurchaseView(data.facts, data.postings, data.spend) : undefined;
  const subjectAt = (i: number, fact: AudienceFact) => subjectOfFact(club.clubId, fact, view?.purchasesOf(i));
  let count = 0;
  let reachable = 0;
  // The sample: the matching members with the smallest hash of (audience, member), the same on every call.
  const picked: Array<{ rank: string; i: number; fact: AudienceFact }> = [];
  for (const [i, fact] of data.facts.entries()) {
    if (!compiled.test(subjectAt(i, fact))) continue;
    count += 1;
    if (checkEligibility(eligibilityOfFact(fact), topic, now).eligible && !heldForControl?.(fact)) reachable += 1;
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

/**
 * Whether a member is in the control group of the club's running experiment, who gets no campaign
 * mail but surveys (core/experiment-decision.ts): their stored arm, or the arm the next plan will draw
 * for them. Undefined when nobody is held: no running experiment, no control arm, or a survey.
 */
function controlTest(experiment: Experiment | undefined, topic: Topic): ((fact: AudienceFact) => boolean) | undefined {
  if (experiment?.status !== 'running' || topic === 'surveys') return undefined;
  const control = new Set(experiment.arms.filter((a) => a.policy.type === 'no-campaign-mail').map((a) => a.armId));
  if (control.size === 0) return undefined;
  const { clubId, experimentId, arms } = experiment;
  return (fact) => {
    const stored = fact.x?.find(([id]) => id === experimentId)?.[1];
    return control.has(stored ?? armAt(arms, drawOf(clubId, experimentId, fact.m)));
  };
}
