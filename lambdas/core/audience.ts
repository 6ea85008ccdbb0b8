/**
 * Saved audiences and their evaluation per member (docs/decisions/0039-audiences.md). A rule is
 * compiled once per plan (or estimate) into a function of one member, so the cost per member is a few
 * comparisons; relative dates read the member's own time zone. Pure.
 */
import { z } from 'zod';
import { type AttributeDeclaration, type AttributeValues, attributeOf } from './attributes.js';
import { AudienceRule } from './audience-rules.js';
import { Id } from './ids.js';
import { dayMatches, epochDay, instantMatches, LocalCalendar, type Relative } from './local-days.js';
import { datesBetween, minorUnits, type PurchaseActivity, spendBetween } from './purchase-activity.js';
import { assertNever } from './units.js';

export const AudienceName = z.string().trim().min(1).max(120);
export const AudienceDescription = z.string().trim().max(1000);

/** A club's saved audience: a name, what it is for, and its rule. */
export const SavedAudience = z.object({
  clubId: Id,
  audienceId: Id,
  name: AudienceName,
  description: AudienceDescription.default(''),
  rule: AudienceRule,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Who saved it last (a principal id). */
  updatedBy: z.string().min(1).optional(),
});
export type SavedAudience = z.infer<typeof SavedAudience>;

/** What a rule may read of one member. Diets and restrictions are deliberately not part of it. */
export interface AudienceSubject {
  readonly memberId: string;
  readonly timeZone: string;
  readonly joinedAt: string;
  readonly birthDate?: string | undefined;
  readonly attributes?: Readonly<AttributeValues> | undefined;
  /** The member's latest click (or open), as the member item keeps it. */
  readonly lastClickAt?: string | undefined;
  readonly lastPurchaseAt?: string | undefined;
  readonly activity?: PurchaseActivity | undefined;
  /** Epoch day of the product's latest purchase date, whatever its age; undefined when never bought. */
  lastBoughtDay(productId: string): number | undefined;
  /** Whether the member counts as passive now (core/engagement.ts). */
  passive(): boolean;
  /** Whether the club's campaign mailed the member: its send is in the member's ledger (sent, or claimed). */
  received(campaignId: string): boolean;
}

/** What evaluating a club's rules needs besides the member. */
export interface AudienceScope {
  readonly clubId: string;
  readonly attributes: readonly AttributeDeclaration[];
  /** The club's saved audiences' rules by id, for `audience` rules. */
  readonly audiences: ReadonlyMap<string, AudienceRule>;
}

/** One member against a rule: true when the member is in the audience. */
export type AudienceTest = (subject: AudienceSubject) => boolean;

/** A rule made ready for one plan or estimate at `now`: its test, and its explanation for samples. */
export interface CompiledAudience {
  readonly audienceId: string;
  readonly name: string;
  readonly test: AudienceTest;
  /** Why a member matches (or not): one line per condition that decided it. */
  explain(subject: AudienceSubject): { matches: boolean; why: string[] };
}

/** An audience that compiles itself for the time a member is decided (relative dates read it); cached per time. */
export interface AudienceAt {
  at(now: Date): CompiledAudience;
}

export function compileAudience(
  audience: Pick<SavedAudience, 'audienceId' | 'name' | 'rule'>,
  scope: AudienceScope,
  now: Date,
): CompiledAudience {
  const calendar = new LocalCalendar(now);
  const declarations = new Map(scope.attributes.map((d) => [d.name, d]));
  const compiled = new Map<string, AudienceTest>();
  const inFlight = new Set<string>();
  const compileRef = (audienceId: string): AudienceTest => {
    const done = compiled.get(audienceId);
    if (done) return done;
    const rule = scope.audiences.get(audienceId);
    // A missing audience or a cycle (refused when saving) matches nobody rather than looping.
    if (!rule || inFlight.has(audienceId)) return () => false;
    inFlight.add(audienceId);
    const test = compile(rule);
    inFlight.delete(audienceId);
    compiled.set(audienceId, test);
    return test;
  };
  const leafScope: LeafScope = { calendar, declarations, clubId: scope.clubId };
  const compile = (rule: AudienceRule): AudienceTest => {
    switch (rule.rule) {
      case 'all': {
        const parts = rule.of.map(compile);
        return (s) => parts.every((p) => p(s));
      }
      case 'any': {
        const parts = rule.of.map(compile);
        return (s) => parts.some((p) => p(s));
      }
      case 'not': {
        const inner = compile(rule.of);
        return (s) => !inner(s);
      }
      case 'audience':
        return compileRef(rule.audienceId);
      default: {
        const leaf = rule;
        return (s) => leafValue(leaf, s, leafScope).matches;
      }
    }
  };
  inFlight.add(audience.audienceId);
  const test = compile(audience.rule);
  const explain = (rule: AudienceRule, s: AudienceSubject): { matches: boolean; why: string[] } => {
    switch (rule.rule) {
      case 'all': {
        const parts = rule.of.map((r) => explain(r, s));
        const failed = parts.find((p) => !p.matches);
        return failed ? failed : { matches: true, why: parts.flatMap((p) => p.why) };
      }
      case 'any': {
        const parts = rule.of.map((r) => explain(r, s));
        const hit = parts.find((p) => p.matches);
        return hit ?? { matches: false, why: parts.flatMap((p) => p.why) };
      }
      case 'not': {
        const inner = explain(rule.of, s);
        return { matches: !inner.matches, why: inner.why.map((w) => `not: ${w}`) };
      }
      case 'audience': {
        const inner = scope.audiences.get(rule.audienceId);
        const matches = compileRef(rule.audienceId)(s);
        const why = inner ? explain(inner, s).why : [];
        return { matches, why: [`audience ${rule.audienceId}: ${why.join('; ')}`] };
      }
      default: {
        const value = leafValue(rule, s, leafScope);
        return { matches: value.matches, why: [value.why()] };
      }
    }
  };
  return {
    audienceId: audience.audienceId,
    name: audience.name,
    test,
    explain: (s) => explain(audience.rule, s),
  };
}

type Leaf = Exclude<AudienceRule, { rule: 'all' | 'any' | 'not' | 'audience' }>;

interface LeafScope {
  readonly calendar: LocalCalendar;
  readonly declarations: ReadonlyMap<string, AttributeDeclaration>;
  readonly clubId: string;
}

const relativeText = (r: Relative) =>
  r.withinDays !== undefined ? `within ${r.withinDays} days` : `at least ${r.atLeastDaysAgo ?? 0} days ago`;

/** One condition for one member: whether it holds, and (only when asked) the sentence saying so. */
function leafValue(rule: Leaf, s: AudienceSubject, scope: LeafScope): { matches: boolean; why: () => string } {
  const { calendar } = scope;
  switch (rule.rule) {
    case 'attribute': {
      const declaration = scope.declarations.get(rule.name);
      const value = declaration ? attributeOf(declaration, s.attributes) : undefined;
      const shown = value === undefined ? 'no value' : JSON.stringify(value);
      return {
        matches: attributeMatches(rule, value, calendar.today(s.timeZone)),
        why: () => `${rule.name}: ${shown}`,
      };
    }
    case 'bought': {
      const today = calendar.today(s.timeZone);
      const from = today - rule.withinDays + 1;
      const times = rule.atLeast ?? 1;
      const count = boughtTimes(rule, s, from, today);
      const what = () => (rule.product !== undefined ? `product ${rule.product}` : `category ${rule.category ?? ''}`);
      return {
        matches: count >= times,
        why: () => `bought ${what()} on ${count} ${count === 1 ? 'date' : 'dates'} within ${rule.withinDays} days`,
      };
    }
    case 'spent': {
      const today = calendar.today(s.timeZone);
      const spent = s.activity ? spendBetween(s.activity, today - rule.withinDays + 1, today) : 0;
      const matches =
        (rule.min === undefined || spent >= minorUnits(rule.min)) &&
        (rule.max === undefined || spent <= minorUnits(rule.max));
      return { matches, why: () => `spent ${(spent / 100).toFixed(2)} within ${rule.withinDays} days` };
    }
    case 'last-purchase': {
      const day = s.activity ? s.activity.day : s.lastPurchaseAt ? epochDay(s.lastPurchaseAt) : undefined;
      const today = calendar.today(s.timeZone);
      return {
        matches: day !== undefined && dayMatches(day, rule, today),
        why: () =>
          day === undefined ? 'no purchase' : `last purchase ${today - day} days ago (${relativeText(rule)})`,
      };
    }
    case 'last-click': {
      const at = s.lastClickAt;
      return {
        matches: at !== undefined && instantMatches(Date.parse(at), rule, calendar, s.timeZone),
        why: () => (at === undefined ? 'no click' : `last click ${at} (${relativeText(rule)})`),
      };
    }
    case 'joined':
      return {
        matches: instantMatches(Date.parse(s.joinedAt), rule, calendar, s.timeZone),
        why: () => `joined ${s.joinedAt} (${relativeText(rule)})`,
      };
    case 'engagement': {
      const passive = s.passive();
      return { matches: passive === (rule.state === 'passive'), why: () => (passive ? 'passive' : 'active') };
    }
    case 'birthday-month': {
      const month = Number(s.birthDate?.slice(5, 7));
      return {
        matches: month === calendar.month(s.timeZone).month,
        why: () => (s.birthDate ? `birthday in month ${month}` : 'no birth date'),
      };
    }
    case 'anniversary-month': {
      const { month, year } = calendar.month(s.timeZone);
      const joined = new Date(calendar.localDay(Date.parse(s.joinedAt), s.timeZone) * 86_400_000);
      const matches = joined.getUTCMonth() + 1 === month && joined.getUTCFullYear() < year;
      return { matches, why: () => `member since ${joined.toISOString().slice(0, 7)}` };
    }
    case 'recipient-of': {
      const received = s.received(rule.campaignId);
      return { matches: received, why: () => `${received ? 'got' : 'did not get'} campaign ${rule.campaignId}` };
    }
    default:
      return assertNever(rule);
  }
}

/** Purchase dates of the product or category from epoch day `from` to `to`. */
function boughtTimes(rule: Extract<Leaf, { rule: 'bought' }>, s: AudienceSubject, from: number, to: number): number {
  const activity = s.activity;
  if (rule.category !== undefined) {
    const offsets =
      activity && Object.hasOwn(activity.categories, rule.category) ? activity.categories[rule.category] : undefined;
    return activity && offsets ? datesBetween(activity, offsets, from, to) : 0;
  }
  const product = rule.product ?? '';
  const offsets = activity && Object.hasOwn(activity.products, product) ? activity.products[product] : undefined;
  if (activity && offsets) return datesBetween(activity, offsets, from, to);
  // Not among the products whose dates are kept: its latest date still says whether it was bought at all.
  const last = s.lastBoughtDay(product);
  return last !== undefined && last >= from && last <= to ? 1 : 0;
}

function attributeMatches(
  rule: Extract<Leaf, { rule: 'attribute' }>,
  value: string | number | boolean | undefined,
  today: number,
): boolean {
  if (rule.exists !== undefined) return (value !== undefined) === rule.exists;
  if (value === undefined) return false;
  if (rule.equals !== undefined) return value === rule.equals;
  if (rule.in !== undefined) return typeof value !== 'boolean' && rule.in.includes(value);
  if (typeof value === 'boolean') return false;
  if (rule.min !== undefined || rule.max !== undefined) {
    if (rule.min !== undefined && (typeof rule.min !== typeof value || value < rule.min)) return false;
    if (rule.max !== undefined && (typeof rule.max !== typeof value || value > rule.max)) return false;
    return true;
  }
  if (typeof value !== 'string') return false;
  if (rule.before !== undefined) return value < rule.before;
  if (rule.after !== undefined) return value > rule.after;
  if (rule.withinDays !== undefined || rule.atLeastDaysAgo !== undefined)
    return dayMatches(epochDay(value), rule, today);
  return false;
}
