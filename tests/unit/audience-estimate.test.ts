import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { random } from '../../bin/demo-club.js';
import { LocalFileStore } from '../../lambdas/adapters/local-file-store.js';
import { estimateAudience, FactsFiles } from '../../lambdas/app/audience-estimate.js';
import { writeFactsFiles } from '../../lambdas/app/audience-facts-files.js';
import type { Deps } from '../../lambdas/app/deps.js';
import type { SavedAudience } from '../../lambdas/core/audience.js';
import { factOf } from '../../lambdas/core/audience-facts.js';
import { bucketOf, categoryKey } from '../../lambdas/core/audience-postings.js';
import type { AudienceRule } from '../../lambdas/core/audience-rules.js';
import { indexCatalog } from '../../lambdas/core/catalog-index.js';
import { DEFAULT_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { armAt, drawOf, Experiment } from '../../lambdas/core/experiment.js';
import { EMPTY_LEDGER } from '../../lambdas/core/ledger.js';
import { buildProfile } from '../../lambdas/core/profile.js';
import { aClub, aMember, aProduct, NOW } from './fixtures.js';

const STORES = ['uppsala', 'malmo', 'lund', 'umea'];
const club = aClub({ clubId: 'club-est', attributes: [{ name: 'home_store', type: 'enum', values: STORES }] });
const products = [aProduct({ productId: 'p-baby', category: 'Baby food' }), aProduct({ productId: 'p-bread' })];
const catalog = indexCatalog(products);

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Member i: a home store, about a third unsubscribed, every fifth a baby-food buyer last month. */
function stateOf(i: number, rnd: () => number) {
  const member = aMember({
    clubId: club.clubId,
    memberId: `m${String(i).padStart(6, '0')}`,
    attributes: { home_store: STORES[Math.floor(rnd() * STORES.length)] ?? 'lund' },
    subscription: rnd() < 0.3 ? 'unsubscribed' : 'subscribed',
  });
  const at = new Date(NOW.getTime() - 30 * 86_400_000).toISOString();
  const lines = i % 5 === 0 ? [{ memberId: member.memberId, receiptId: 'r1', at, productId: 'p-baby' }] : [];
  return { member, profile: buildProfile(lines, catalog, NOW), ledger: EMPTY_LEDGER };
}

/** A file store holding facts for `sampled` members standing for `shardsRead` of `shards`. */
async function factsOf(
  states: ReturnType<typeof stateOf>[],
  shardsRead: number,
  shards: number,
  garbled = false,
  experiment?: Experiment,
) {
  const dir = await mkdtemp(join(tmpdir(), 'audience-estimate-'));
  dirs.push(dir);
  const files = new LocalFileStore(dir, (key) => key);
  const written = states.map((s) => factOf(s, DEFAULT_ENGAGEMENT, NOW));
  await writeFactsFiles(files, club.clubId, [written], (members) => ({
    asOf: NOW.toISOString(),
    members,
    shardsRead,
    shards,
  }));
  if (garbled) await files.write(FactsFiles.postings(club.clubId, bucketOf(categoryKey('Baby food'))), 'not json\n');
  const deps = {
    files,
    clubs: { getClub: async () => club },
    experiments: { get: async () => experiment },
    clock: { now: () => NOW },
    log: { info: () => {}, warn: () => {}, error: () => {} },
  } as unknown as Pick<Deps, 'clubs' | 'files' | 'experiments' | 'clock' | 'log'>;
  return deps;
}

const audienceOf = (audienceId: string, rule: AudienceRule): SavedAudience => ({
  clubId: club.clubId,
  audienceId,
  name: audienceId,
  description: '',
  rule,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
});

describe('the audience estimate', () => {
  it("leaves the control group of the club's running experiment out of the reachable members, except for surveys", async () => {
    const rnd = random(11);
    const experiment = Experiment.parse({
      clubId: club.clubId,
      experimentId: 'exp-1',
      status: 'running',
      arms: [
        { armId: 'budget', share: 0.9, policy: { type: 'club-budget' } },
        { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
      ],
      readableAfter: { minMembersPerArm: 5, minMonths: 1 },
      startedAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    const drawn = (id: string) => armAt(experiment.arms, drawOf(club.clubId, experiment.experimentId, id));
    const states = Array.from({ length: 400 }, (_, i) => stateOf(i, rnd)).map((s) => ({
      ...s,
      member: {
        ...s.member,
        preferences: { ...s.member.preferences, topics: ['offers' as const, 'surveys' as const] },
      },
    }));
    // A plan stored one member, whom the draw puts in the club's arm, in the control arm: the stored arm counts.
    const storedControl = states.find(
      (s) => s.member.subscription === 'subscribed' && drawn(s.member.memberId) === 'budget',
    );
    if (!storedControl) throw new Error('no member to store');
    const withArm = states.map((s) =>
      s === storedControl
        ? { ...s, assignments: [{ experimentId: 'exp-1', armId: 'control', assignedAt: NOW.toISOString(), draw: 0 }] }
        : s,
    );
    const everyone = audienceOf('everyone', { rule: 'all', of: [] });
    const subscribed = states.filter((s) => s.member.subscription === 'subscribed').map((s) => s.member.memberId);
    const control = subscribed.filter((id) => id === storedControl.member.memberId || drawn(id) === 'control');
    expect(control.length).toBeGreaterThan(1);

    const reachable = async (exp: Experiment | undefined, topic: 'offers' | 'surveys') => {
      const outcome = await estimateAudience(await factsOf(withArm, 16, 16, false, exp), everyone, [everyone], topic);
      if (outcome.kind !== 'estimate') throw new Error('expected an estimate');
      return outcome.estimate.reachable;
    };
    expect(await reachable(undefined, 'offers')).toBe(subscribed.length);
    expect(await reachable(experiment, 'offers')).toBe(subscribed.length - control.length);
    expect(await reachable(experiment, 'surveys')).toBe(subscribed.length);
    expect(await reachable({ ...experiment, status: 'stopped' }, 'offers')).toBe(subscribed.length);
  });

  it('counts every member exactly, reads purchases only for rules about them, and explains a fixed sample', async () => {
    const rnd = random(7);
    const states = Array.from({ length: 500 }, (_, i) => stateOf(i, rnd));
    const deps = await factsOf(states, 16, 16);
    const rule: AudienceRule = {
      rule: 'all',
      of: [
        { rule: 'attribute', name: 'home_store', equals: 'uppsala' },
        { rule: 'bought', category: 'Baby food', withinDays: 90 },
      ],
    };
    const audience = audienceOf('babies-uppsala', rule);
    const outcome = await estimateAudience(deps, audience, [audience], 'offers');
    if (outcome.kind !== 'estimate') throw new Error('expected an estimate');
    const inIt = states.filter((s, i) => s.member.attributes?.home_store === 'uppsala' && i % 5 === 0);
    expect(outcome.estimate).toMatchObject({ exact: true, members: 500, count: inIt.length });
    expect(outcome.estimate.margin).toBeUndefined();
    expect(outcome.estimate.reachable).toBe(inIt.filter((s) => s.member.subscription === 'subscribed').length);
    expect(outcome.estimate.sample).toHaveLength(20);
    expect(outcome.estimate.sample[0]?.why).toEqual([
      'home_store: "uppsala"',
      'bought category Baby food on 1 date within 90 days',
    ]);
    const again = await estimateAudience(deps, audience, [audience], 'offers');
    expect(again).toEqual(outcome);

    // With a broken postings file, a rule that reads no purchases still counts; one that does fails.
    const broken = await factsOf(states.slice(0, 300), 16, 16, true);
    const stores = audienceOf('uppsala', { rule: 'attribute', name: 'home_store', equals: 'uppsala' });
    const counted = await estimateAudience(broken, stores, [stores], 'offers');
    if (counted.kind !== 'estimate') throw new Error('expected an estimate');
    expect(counted.estimate.count).toBe(
      states.slice(0, 300).filter((s) => s.member.attributes?.home_store === 'uppsala').length,
    );
    await expect(estimateAudience(broken, audience, [audience], 'offers')).rejects.toThrow();
  });

  it('answers `preparing` for facts written before the postings layout, so the caller rewrites them instead of failing', async () => {
    const rnd = random(5);
    const states = Array.from({ length: 200 }, (_, i) => stateOf(i, rnd));
    const deps = await factsOf(states, 16, 16);
    // An older release wrote the facts and their meta but no postings (its purchases sat in another file).
    await deps.files.deletePrefix(`imports/${club.clubId}/audience-facts/postings/`);
    const babies = audienceOf('babies', { rule: 'bought', category: 'Baby food', withinDays: 90 });
    expect(await estimateAudience(deps, babies, [babies], 'offers')).toEqual({ kind: 'preparing' });
    // A rule that reads no purchases still counts from the facts alone.
    const stores = audienceOf('lund', { rule: 'attribute', name: 'home_store', equals: 'lund' });
    const counted = await estimateAudience(deps, stores, [stores], 'offers');
    if (counted.kind !== 'estimate') throw new Error('expected an estimate');
    expect(counted.estimate.count).toBe(states.filter((s) => s.member.attributes?.home_store === 'lund').length);
    // Spend lines that are not line for line with the facts are out of date too.
    await deps.files.write(FactsFiles.spend(club.clubId), '');
    const spenders = audienceOf('spenders', { rule: 'spent', min: 1, withinDays: 90 });
    expect(await estimateAudience(deps, spenders, [spenders], 'offers')).toEqual({ kind: 'preparing' });
  });

  it('scales a sample of shards up to the club, with a 95 % margin that holds the true count', async () => {
    const rnd = random(11);
    const population = Array.from({ length: 8_000 }, (_, i) => stateOf(i, rnd));
    // Members fall into shards by a hash of their id: a quarter of the shards is a uniform quarter.
    const sampled = population.filter((_, i) => (i * 2_654_435_761) % 2 ** 32 < 2 ** 30);
    const deps = await factsOf(sampled, 4, 16);
    const audience = audienceOf('two-stores', { rule: 'attribute', name: 'home_store', in: ['uppsala', 'lund'] });
    const outcome = await estimateAudience(deps, audience, [audience], 'offers');
    if (outcome.kind !== 'estimate') throw new Error('expected an estimate');
    const { estimate } = outcome;
    const truth = population.filter((s) => ['uppsala', 'lund'].includes(String(s.member.attributes?.home_store)));
    const reachable = truth.filter((s) => s.member.subscription === 'subscribed');
    expect(estimate.exact).toBe(false);
    expect(estimate.members).toBe(sampled.length * 4);
    expect(estimate.margin).toMatchObject({ confidence: 0.95, sampled: sampled.length });
    expect(estimate.margin?.count).toBeGreaterThan(0);
    expect(Math.abs(estimate.count - truth.length)).toBeLessThanOrEqual(estimate.margin?.count ?? 0);
    expect(Math.abs(estimate.reachable - reachable.length)).toBeLessThanOrEqual(estimate.margin?.reachable ?? 0);
  });
});
