import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeDeclaration } from '../../lambdas/core/attributes.js';
import { compileAudience } from '../../lambdas/core/audience.js';
import { AudienceFact, factOf, subjectOfFact } from '../../lambdas/core/audience-facts.js';
import {
  bucketOf,
  Posting,
  PostingsBuilder,
  PurchaseView,
  postingPrefix,
  purchaseNeeds,
  SpendLine,
  spendLineOf,
} from '../../lambdas/core/audience-postings.js';
import { type AudienceRule, AudienceRuleInput, ruleIssues } from '../../lambdas/core/audience-rules.js';
import { subjectOf } from '../../lambdas/core/audience-subject.js';
import { indexCatalog } from '../../lambdas/core/catalog-index.js';
import { EngagementPolicy } from '../../lambdas/core/engagement.js';
import { type Ledger, sendIdFor } from '../../lambdas/core/ledger.js';
import type { Member, Product } from '../../lambdas/core/model.js';
import { buildProfile } from '../../lambdas/core/profile.js';
import { ACTIVITY_DAYS, MAX_ACTIVITY_PRODUCTS } from '../../lambdas/core/purchase-activity.js';
import { type ReferenceLine, referenceMatches } from './audience-reference.js';

const DAY = 86_400_000;
const CLUB = 'club-a';
const ZONES = ['Europe/Stockholm', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'] as const;
const PRODUCTS: Product[] = Array.from({ length: 8 }, (_, i) => ({
  productId: `p${i}`,
  name: `Product ${i}`,
  category: ['Baby food', 'Bread', 'Coffee'][i % 3] ?? 'Bread',
  contains: [],
  freeFrom: [],
}));
const CATALOG = indexCatalog(PRODUCTS);
const ATTRIBUTES: AttributeDeclaration[] = [
  { name: 'home_store', type: 'enum', values: ['uppsala', 'malmo', 'lund'] },
  { name: 'region', type: 'string' },
  { name: 'household_size', type: 'number' },
  { name: 'tier_since', type: 'date' },
  { name: 'newsletter', type: 'boolean' },
];
const ENGAGEMENT = EngagementPolicy.parse({ passiveAfterUnengagedMails: 3 });

function member(overrides: Partial<Member> = {}): Member {
  return {
    clubId: CLUB,
    memberId: 'm1',
    email: 'm1@example.com',
    firstName: 'Ada',
    language: 'sv',
    timeZone: 'Europe/Stockholm',
    joinedAt: '2024-01-10T10:00:00Z',
    subscription: 'subscribed',
    deliverability: 'ok',
    consent: { marketing: true, textVersion: 'v1', at: '2024-01-10T10:00:00Z', source: 'test', legalBasis: 'consent' },
    preferences: {
      frequency: 'club-default',
      topics: ['offers', 'news', 'events', 'surveys'],
      declaredRestrictions: [],
      rejectedInferences: [],
      nameDayMail: false,
    },
    ...overrides,
  };
}

const EMPTY_LEDGER: Ledger = { version: 0, sends: {} };

/**
 * Evaluate a rule for one member as the planner does (compiled, over the profile built from the lines),
 * or as an estimate does (`via: 'facts'`: over the member's facts line and the postings and spend lines the rule reads, read back from JSON).
 */
function evaluate(
  rule: AudienceRule,
  m: Member,
  now: Date,
  lines: readonly ReferenceLine[] = [],
  ledger: Ledger = EMPTY_LEDGER,
  audiences: ReadonlyMap<string, AudienceRule> = new Map(),
  via: 'state' | 'facts' = 'state',
): boolean {
  const profile = buildProfile(
    lines.map((l, i) => ({
      memberId: m.memberId,
      receiptId: `r${i}`,
      at: l.at,
      productId: l.productId,
      amount: l.amount,
    })),
    CATALOG,
    now,
  );
  const compiled = compileAudience(
    { audienceId: 'x', name: 'X', rule },
    { clubId: CLUB, attributes: ATTRIBUTES, audiences },
    now,
  );
  const state = { member: m, profile, ledger };
  if (via === 'state') return compiled.test(subjectOf(state, ENGAGEMENT));
  const { fact, purchases } = factOf(state, ENGAGEMENT, now);
  const read = AudienceFact.parse(JSON.parse(JSON.stringify(fact)));
  // As the estimate reads them: the postings lines of the keys the rule names, and the spend line.
  const builder = new PostingsBuilder();
  builder.add(0, purchases);
  const buckets = [...builder.buckets({ asOf: now.toISOString(), members: 1 })];
  const needs = purchaseNeeds(rule, audiences);
  const postings = new Map<string, Posting>();
  for (const key of needs.keys) {
    const line = buckets[bucketOf(key)]?.split('\n').find((l) => l.startsWith(postingPrefix(key)));
    postings.set(key, line ? Posting.parse(JSON.parse(line)) : { k: key, i: [], n: [], o: [] });
  }
  const spend = [SpendLine.parse(JSON.parse(JSON.stringify(spendLineOf(purchases))))];
  return compiled.test(subjectOfFact(CLUB, read, new PurchaseView([read], postings, spend).purchasesOf(0)));
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('audience rules, each kind', () => {
  const now = new Date('2026-06-15T10:00:00Z');

  it('compares attributes: equals, in, a range, before and after a date, a date within N days, and whether one exists', () => {
    const m = member({
      attributes: { home_store: 'uppsala', household_size: 4, tier_since: '2026-06-01', newsletter: true },
    });
    const yes: AudienceRule[] = [
      { rule: 'attribute', name: 'home_store', equals: 'uppsala' },
      { rule: 'attribute', name: 'home_store', in: ['lund', 'uppsala'] },
      { rule: 'attribute', name: 'household_size', min: 3, max: 5 },
      { rule: 'attribute', name: 'tier_since', after: '2026-05-31' },
      { rule: 'attribute', name: 'tier_since', before: '2026-06-02' },
      { rule: 'attribute', name: 'tier_since', min: '2026-06-01', max: '2026-06-01' },
      { rule: 'attribute', name: 'tier_since', withinDays: 15 },
      { rule: 'attribute', name: 'tier_since', atLeastDaysAgo: 14 },
      { rule: 'attribute', name: 'newsletter', equals: true },
      { rule: 'attribute', name: 'region', exists: false },
    ];
    const no: AudienceRule[] = [
      { rule: 'attribute', name: 'home_store', equals: 'malmo' },
      { rule: 'attribute', name: 'household_size', min: 5 },
      { rule: 'attribute', name: 'tier_since', withinDays: 14 },
      { rule: 'attribute', name: 'tier_since', atLeastDaysAgo: 15 },
      { rule: 'attribute', name: 'region', equals: 'Norrland' },
      { rule: 'attribute', name: 'newsletter', exists: false },
    ];
    for (const rule of yes) expect(evaluate(rule, m, now), JSON.stringify(rule)).toBe(true);
    for (const rule of no) expect(evaluate(rule, m, now), JSON.stringify(rule)).toBe(false);
  });

  it('reads purchases: a product or category bought within N days at least K times, spend in a window, days since the last purchase', () => {
    const lines: ReferenceLine[] = [
      { at: '2026-06-14T09:00:00+02:00', productId: 'p0', category: 'Baby food', amount: 100 },
      { at: '2026-06-01T09:00:00+02:00', productId: 'p0', category: 'Baby food', amount: 50.5 },
      { at: '2026-03-01T09:00:00+01:00', productId: 'p3', category: 'Baby food', amount: 20 },
      { at: '2026-06-10T09:00:00+02:00', productId: 'p1', category: 'Bread' },
    ];
    const m = member();
    expect(evaluate({ rule: 'bought', category: 'Baby food', withinDays: 90, atLeast: 2 }, m, now, lines)).toBe(true);
    expect(evaluate({ rule: 'bought', category: 'Baby food', withinDays: 90, atLeast: 3 }, m, now, lines)).toBe(false);
    expect(evaluate({ rule: 'bought', category: 'Baby food', withinDays: 120, atLeast: 3 }, m, now, lines)).toBe(true);
    expect(evaluate({ rule: 'bought', product: 'p0', withinDays: 14, atLeast: 1 }, m, now, lines)).toBe(true);
    expect(evaluate({ rule: 'bought', product: 'p0', withinDays: 14, atLeast: 2 }, m, now, lines)).toBe(false);
    expect(evaluate({ rule: 'bought', product: 'p2', withinDays: 365 }, m, now, lines)).toBe(false);
    expect(evaluate({ rule: 'spent', withinDays: 30, min: 150.5 }, m, now, lines)).toBe(true);
    expect(evaluate({ rule: 'spent', withinDays: 30, min: 150.51 }, m, now, lines)).toBe(false);
    expect(evaluate({ rule: 'spent', withinDays: 7, max: 100 }, m, now, lines)).toBe(true);
    expect(evaluate({ rule: 'last-purchase', withinDays: 2 }, m, now, lines)).toBe(true);
    expect(evaluate({ rule: 'last-purchase', atLeastDaysAgo: 60 }, m, now, lines)).toBe(false);
    expect(evaluate({ rule: 'last-purchase', atLeastDaysAgo: 60 }, m, now, [])).toBe(false);
    const lapsed = [{ at: '2026-04-01T12:00:00Z', productId: 'p1', category: 'Bread' }];
    expect(evaluate({ rule: 'last-purchase', atLeastDaysAgo: 60 }, m, now, lapsed)).toBe(true);
  });

  it('reads engagement (active or passive, the last click) and lifecycle (joined, birthday and anniversary month)', () => {
    const sends = Object.fromEntries(
      [1, 2, 3].map((d) => [`s${d}`, { at: now.getTime() - d * DAY, kind: 'offers' as const }]),
    );
    const ledger: Ledger = { version: 3, sends };
    const clicked = member({ lastEngagedAt: new Date(now.getTime() - 5 * DAY).toISOString() });
    expect(evaluate({ rule: 'engagement', state: 'passive' }, clicked, now, [], ledger)).toBe(true);
    expect(evaluate({ rule: 'engagement', state: 'active' }, clicked, now, [], EMPTY_LEDGER)).toBe(true);
    expect(evaluate({ rule: 'last-click', withinDays: 7 }, clicked, now)).toBe(true);
    expect(evaluate({ rule: 'last-click', withinDays: 5 }, clicked, now)).toBe(false);
    expect(evaluate({ rule: 'last-click', withinDays: 7 }, member(), now)).toBe(false);
    const fresh = member({ joinedAt: '2026-06-10T08:00:00Z', birthDate: '1990-06-30' });
    expect(evaluate({ rule: 'joined', withinDays: 7 }, fresh, now)).toBe(true);
    expect(evaluate({ rule: 'joined', withinDays: 5 }, fresh, now)).toBe(false);
    expect(evaluate({ rule: 'birthday-month' }, fresh, now)).toBe(true);
    expect(evaluate({ rule: 'anniversary-month' }, fresh, now)).toBe(false);
    expect(evaluate({ rule: 'anniversary-month' }, member({ joinedAt: '2023-06-20T10:00:00Z' }), now)).toBe(true);
  });

  it('combines with all, any and not, includes saved audiences, and excludes another campaign’s recipients', () => {
    const m = member({ attributes: { home_store: 'uppsala' } });
    const uppsala: AudienceRule = { rule: 'attribute', name: 'home_store', equals: 'uppsala' };
    const joinedLately: AudienceRule = { rule: 'joined', withinDays: 30 };
    expect(evaluate({ rule: 'all', of: [uppsala, joinedLately] }, m, now)).toBe(false);
    expect(evaluate({ rule: 'any', of: [uppsala, joinedLately] }, m, now)).toBe(true);
    expect(evaluate({ rule: 'not', of: uppsala }, m, now)).toBe(false);
    expect(evaluate({ rule: 'not', of: { rule: 'not', of: uppsala } }, m, now)).toBe(true);
    const saved = new Map<string, AudienceRule>([['upp', uppsala]]);
    expect(evaluate({ rule: 'audience', audienceId: 'upp' }, m, now, [], EMPTY_LEDGER, saved)).toBe(true);
    expect(evaluate({ rule: 'audience', audienceId: 'gone' }, m, now, [], EMPTY_LEDGER, saved)).toBe(false);
    const mailed: Ledger = {
      version: 1,
      sends: { [sendIdFor(CLUB, 'big-week', 'm1')]: { at: now.getTime() - DAY, kind: 'offers' } },
    };
    const exclude: AudienceRule = { rule: 'not', of: { rule: 'recipient-of', campaignId: 'big-week' } };
    expect(evaluate(exclude, m, now, [], mailed)).toBe(false);
    expect(evaluate(exclude, m, now, [], EMPTY_LEDGER)).toBe(true);
    const dropped: Ledger = {
      version: 1,
      sends: { [sendIdFor(CLUB, 'big-week', 'm1')]: { at: now.getTime(), kind: 'dropped' } },
    };
    expect(evaluate(exclude, m, now, [], dropped)).toBe(true);
  });
});

describe('relative dates across summer time and time zones', () => {
  it('reads "joined within 7 days" at the same wall-clock time a week ago, over the spring change in Stockholm', () => {
    // Clocks went 02:00 → 03:00 on 2026-03-29: a week before Thursday 2 April 09:00 local (07:00Z) is
    // Thursday 26 March 09:00 local, which was 08:00Z, not 07:00Z.
    const now = new Date('2026-04-02T07:00:00Z');
    const at = (iso: string) => member({ joinedAt: iso });
    expect(evaluate({ rule: 'joined', withinDays: 7 }, at('2026-03-26T07:30:00Z'), now)).toBe(false);
    expect(evaluate({ rule: 'joined', withinDays: 7 }, at('2026-03-26T08:00:01Z'), now)).toBe(true);
    expect(evaluate({ rule: 'joined', atLeastDaysAgo: 7 }, at('2026-03-26T08:00:00Z'), now)).toBe(true);
    // The same instants for a member in UTC: a week is 7 × 24 hours there.
    const utc = (iso: string) => member({ joinedAt: iso, timeZone: 'UTC' });
    expect(evaluate({ rule: 'joined', withinDays: 7 }, utc('2026-03-26T07:30:00Z'), now)).toBe(true);
  });

  it('covers every join exactly once with a weekly run at 09:00 local over the autumn change', () => {
    // Clocks went 03:00 → 02:00 on 2026-10-25. Runs on Mondays at 09:00 Stockholm time.
    const runs = ['2026-10-19T07:00:00Z', '2026-10-26T08:00:00Z', '2026-11-02T08:00:00Z'].map((t) => new Date(t));
    for (let t = Date.parse('2026-10-19T07:00:00Z') + 1000; t < Date.parse('2026-11-02T08:00:00Z'); t += 37 * 60_000) {
      const m = member({ joinedAt: new Date(t).toISOString() });
      const hits = runs.filter((now) => evaluate({ rule: 'joined', withinDays: 7 }, m, now));
      expect(hits, new Date(t).toISOString()).toHaveLength(1);
    }
  });

  it('reads the birthday month and today in the member’s own time zone', () => {
    const now = new Date('2026-05-31T23:30:00Z'); // 1 June in Stockholm, 31 May in New York
    const june = { birthDate: '1990-06-12' };
    expect(evaluate({ rule: 'birthday-month' }, member({ ...june, timeZone: 'Europe/Stockholm' }), now)).toBe(true);
    expect(evaluate({ rule: 'birthday-month' }, member({ ...june, timeZone: 'America/New_York' }), now)).toBe(false);
    const lines = [{ at: '2026-05-31T12:00:00Z', productId: 'p1', category: 'Bread' }];
    expect(
      evaluate({ rule: 'last-purchase', withinDays: 1 }, member({ timeZone: 'America/New_York' }), now, lines),
    ).toBe(true);
    expect(
      evaluate({ rule: 'last-purchase', withinDays: 1 }, member({ timeZone: 'Europe/Stockholm' }), now, lines),
    ).toBe(false);
  });
});

describe('diet restrictions are never an audience rule', () => {
  it('refuses a rule kind, an attribute or any key that names a diet or a restriction', () => {
    for (const raw of [
      { rule: 'diet', is: 'vegan' },
      { rule: 'attribute', name: 'declaredRestrictions', equals: 'gluten-free' },
      { rule: 'attribute', name: 'inferred_restrictions', exists: true },
      { rule: 'not', of: { rule: 'attribute', name: 'allergies', exists: true } },
      { rule: 'all', of: [{ rule: 'joined', withinDays: 7, vegetarian: true }] },
    ]) {
      const parsed = AudienceRuleInput.safeParse(raw);
      expect(parsed.success, JSON.stringify(raw)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/^diet restrictions are never an audience rule/);
    }
  });

  it('evaluates the same whatever diets the member declared or the profile inferred', () => {
    const rule: AudienceRule = {
      rule: 'all',
      of: [
        { rule: 'joined', atLeastDaysAgo: 1 },
        { rule: 'bought', category: 'Bread', withinDays: 30 },
      ],
    };
    const now = new Date('2026-06-15T10:00:00Z');
    const lines = [{ at: '2026-06-10T10:00:00Z', productId: 'p1', category: 'Bread' }];
    const plain = member();
    const restricted = member({
      preferences: { ...plain.preferences, declaredRestrictions: ['vegan', 'gluten-free'] },
    });
    expect(evaluate(rule, restricted, now, lines)).toBe(evaluate(rule, plain, now, lines));
  });
});

// ---------------------------------------------------------------------------------------------
// The property: random rules over random members agree with the plain reference evaluator.

const NOW_ARB = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z') / 60_000, max: Date.parse('2027-12-31T00:00:00Z') / 60_000 })
  .map((minute) => new Date(minute * 60_000));

// Mostly short windows, so members often sit on a window's first or last day.
const days = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 400 }));
const purchaseDays = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: ACTIVITY_DAYS }));
const relative = fc.oneof(
  days.map((withinDays) => ({ withinDays })),
  days.map((atLeastDaysAgo) => ({ atLeastDaysAgo })),
);
const date = fc.integer({ min: 0, max: 1500 }).map((d) => isoDay(Date.parse('2024-01-01') + d * DAY));
/** A date near `now`: mostly in the last fortnight. */
const nearDate = (now: Date) => fc.integer({ min: -12, max: 2 }).map((d) => isoDay(now.getTime() + d * DAY));

const leaf: fc.Arbitrary<AudienceRule> = fc.oneof(
  fc
    .constantFrom('uppsala', 'malmo', 'lund')
    .map((equals) => ({ rule: 'attribute' as const, name: 'home_store', equals })),
  fc
    .subarray(['uppsala', 'malmo', 'lund'], { minLength: 1 })
    .map((values) => ({ rule: 'attribute' as const, name: 'home_store', in: values })),
  fc.constantFrom('Norr', 'Syd').map((equals) => ({ rule: 'attribute' as const, name: 'region', equals })),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).map(([a, b]) => ({
    rule: 'attribute' as const,
    name: 'household_size',
    min: Math.min(a, b),
    max: Math.max(a, b),
  })),
  date.map((after) => ({ rule: 'attribute' as const, name: 'tier_since', after })),
  date.map((before) => ({ rule: 'attribute' as const, name: 'tier_since', before })),
  relative.map((r) => ({ rule: 'attribute' as const, name: 'tier_since', ...r })),
  fc.boolean().map((equals) => ({ rule: 'attribute' as const, name: 'newsletter', equals })),
  fc
    .tuple(fc.constantFrom('home_store', 'region', 'newsletter'), fc.boolean())
    .map(([name, exists]) => ({ rule: 'attribute' as const, name, exists })),
  fc
    .tuple(fc.constantFrom(...PRODUCTS.map((p) => p.productId)), purchaseDays, fc.integer({ min: 1, max: 5 }))
    .map(([product, withinDays, atLeast]) => ({ rule: 'bought' as const, product, withinDays, atLeast })),
  fc
    .tuple(fc.constantFrom('Baby food', 'Bread', 'Coffee'), purchaseDays, fc.integer({ min: 1, max: 5 }))
    .map(([category, withinDays, atLeast]) => ({ rule: 'bought' as const, category, withinDays, atLeast })),
  fc
    .tuple(purchaseDays, fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 800 }))
    .map(([withinDays, a, b]) => ({ rule: 'spent' as const, withinDays, min: Math.min(a, b), max: Math.max(a, b) })),
  relative.map((r) => ({ rule: 'last-purchase' as const, ...r })),
  relative.map((r) => ({ rule: 'last-click' as const, ...r })),
  relative.map((r) => ({ rule: 'joined' as const, ...r })),
  fc.constantFrom('active' as const, 'passive' as const).map((state) => ({ rule: 'engagement' as const, state })),
  fc.constant({ rule: 'birthday-month' as const }),
  fc.constant({ rule: 'anniversary-month' as const }),
  fc.constantFrom('c1', 'c2').map((campaignId) => ({ rule: 'recipient-of' as const, campaignId })),
  fc.constant({ rule: 'audience' as const, audienceId: 'saved' }),
);

const ruleArb: fc.Arbitrary<AudienceRule> = fc.letrec<{ rule: AudienceRule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('rule'), { minLength: 1, maxLength: 4 }).map((of) => ({ rule: 'all' as const, of })),
    fc.array(tie('rule'), { minLength: 1, maxLength: 4 }).map((of) => ({ rule: 'any' as const, of })),
    tie('rule').map((of) => ({ rule: 'not' as const, of })),
  ),
})).rule;

function memberArb(now: Date) {
  const t = now.getTime();
  const instant = fc
    .oneof(fc.integer({ min: t - 14 * DAY, max: t }), fc.integer({ min: t - 900 * DAY, max: t }))
    .map((ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString());
  const offset = fc.constantFrom('Z', '+01:00', '+02:00', '-05:00');
  const line = fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 14 * 24 }), fc.integer({ min: 0, max: 300 * 24 })),
      offset,
      fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
      fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
    )
    .map(([hoursAgo, off, p, cents]): ReferenceLine => {
      const product = PRODUCTS[p] ?? PRODUCTS[0];
      const local = new Date(t - hoursAgo * 3_600_000).toISOString().slice(0, 19);
      return {
        at: `${local}${off}`,
        productId: product?.productId ?? 'p0',
        category: product?.category ?? 'Bread',
        ...(cents === undefined ? {} : { amount: cents / 100 }),
      };
    });
  const attributes = fc.record(
    {
      home_store: fc.constantFrom('uppsala', 'malmo', 'lund', 'visby'),
      region: fc.constantFrom('Norr', 'Syd'),
      household_size: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant('4')),
      tier_since: fc.oneof(date, nearDate(now)),
      newsletter: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const sends = fc.array(
    fc.tuple(
      fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5'),
      fc.integer({ min: 0, max: 60 * 24 }),
      fc.constantFrom('offers' as const, 'dropped' as const),
    ),
    { maxLength: 6 },
  );
  return fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      joinedAt: instant,
      birthDate: fc.option(fc.oneof(date, nearDate(now)), { nil: undefined }),
      lastEngagedAt: fc.option(instant, { nil: undefined }),
      attributes,
      lines: fc.array(line, { maxLength: 25 }),
      sends,
    })
    .map((r) => {
      const m = member({
        timeZone: r.timeZone,
        joinedAt: r.joinedAt,
        attributes: r.attributes,
        ...(r.birthDate ? { birthDate: r.birthDate } : {}),
        ...(r.lastEngagedAt ? { lastEngagedAt: r.lastEngagedAt } : {}),
      });
      const ledger: Ledger = {
        version: r.sends.length,
        sends: Object.fromEntries(
          r.sends.map(([campaign, minutesAgo, kind]) => [
            sendIdFor(CLUB, campaign, m.memberId),
            { at: t - minutesAgo * 60_000, kind },
          ]),
        ),
      };
      return { member: m, lines: r.lines, ledger };
    });
}

describe('audience evaluation', () => {
  it('equals a plainly written reference evaluation for random rules and members, over their state and over their facts', () => {
    const saved: AudienceRule = {
      rule: 'any',
      of: [
        { rule: 'attribute', name: 'region', equals: 'Norr' },
        { rule: 'joined', withinDays: 90 },
      ],
    };
    const audiences = new Map([['saved', saved]]);
    fc.assert(
      fc.property(
        NOW_ARB.chain((now) => fc.tuple(fc.constant(now), ruleArb, memberArb(now))),
        ([now, rule, m]) => {
          const expected = referenceMatches(rule, m, {
            clubId: CLUB,
            attributes: ATTRIBUTES,
            audiences,
            passiveAfter: ENGAGEMENT.passiveAfterUnengagedMails,
            now,
          });
          expect(evaluate(rule, m.member, now, m.lines, m.ledger, audiences)).toBe(expected);
          // An estimate reads the same member from its facts and purchases lines: the same answer.
          expect(evaluate(rule, m.member, now, m.lines, m.ledger, audiences, 'facts')).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps a heavy shopper’s activity bounded: dates per day, five per category and product, at most 64 products', () => {
    const now = new Date('2026-06-15T10:00:00Z');
    const many = Array.from({ length: 200 }, (_, i) => ({
      productId: `q${i}`,
      name: `Q${i}`,
      category: `C${i % 40}`,
      contains: [],
      freeFrom: [],
    }));
    const lines = Array.from({ length: 3000 }, (_, i) => ({
      memberId: 'm1',
      receiptId: `r${Math.floor(i / 20)}`,
      at: new Date(now.getTime() - Math.floor(i / 20) * 2 * DAY).toISOString(),
      productId: `q${(i * 7) % 200}`,
      amount: 12.5,
    }));
    const activity = buildProfile(lines, indexCatalog(many), now).activity;
    expect(activity?.days.length).toBeLessThanOrEqual(ACTIVITY_DAYS + 2);
    expect(Object.keys(activity?.products ?? {}).length).toBe(MAX_ACTIVITY_PRODUCTS);
    expect(activity?.productsCut).toBeGreaterThan(0);
    for (const dates of Object.values(activity?.categories ?? {})) expect(dates.length).toBeLessThanOrEqual(5);
  });

  it('checks a rule against the club: undeclared attributes, comparisons that do not fit the type, unknown campaigns', () => {
    const scope = { attributes: ATTRIBUTES, audiences: new Map<string, AudienceRule>(), campaignIds: new Set(['c1']) };
    expect(
      ruleIssues(
        {
          rule: 'all',
          of: [
            { rule: 'attribute', name: 'shoe_size', equals: 42 },
            { rule: 'attribute', name: 'home_store', equals: 'visby' },
            { rule: 'attribute', name: 'newsletter', min: 1 },
            { rule: 'recipient-of', campaignId: 'c9' },
          ],
        },
        scope,
      ).map((i) => [i.path.join('.'), i.message]),
    ).toEqual([
      [
        'of.0.name',
        'is not an attribute the club declared (declared: home_store, region, household_size, tier_since, newsletter)',
      ],
      ['of.1.equals', 'home_store is a enum: expected one of uppsala, malmo, lund'],
      ['of.2.min', 'a boolean attribute takes equals, exists'],
      ['of.3.campaignId', 'no campaign c9'],
    ]);
  });
});
