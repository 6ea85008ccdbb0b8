/**
 * A plainly written audience evaluator for the property test: it reads the raw purchase lines (not the
 * profile), works dates out with Intl on each call and walks the wall clock minute by minute. Slow and
 * obvious on purpose: the compiled evaluator (lambdas/core/audience.ts) must agree with it.
 */
import type { AttributeDeclaration } from '../../lambdas/core/attributes.js';
import type { AudienceRule } from '../../lambdas/core/audience-rules.js';
import { type Ledger, sendIdFor } from '../../lambdas/core/ledger.js';
import type { Member } from '../../lambdas/core/model.js';

export interface ReferenceLine {
  readonly at: string;
  readonly productId: string;
  readonly category: string;
  readonly amount?: number;
}

export interface ReferenceMember {
  readonly member: Member;
  readonly lines: readonly ReferenceLine[];
  readonly ledger: Ledger;
}

export interface ReferenceScope {
  readonly clubId: string;
  readonly attributes: readonly AttributeDeclaration[];
  readonly audiences: ReadonlyMap<string, AudienceRule>;
  readonly passiveAfter: number;
  readonly now: Date;
}

const DAY = 86_400_000;

/** `YYYY-MM-DD HH:mm` on the zone's wall clock. */
function wall(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

const dayNumber = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;

function today(scope: ReferenceScope, timeZone: string): number {
  return dayNumber(wall(scope.now.getTime(), timeZone));
}

const starts = new Map<string, number>();

/** The first instant whose wall clock reads at least "now minus N days" (now is on a whole minute). */
function daysAgo(scope: ReferenceScope, timeZone: string, days: number): number {
  const key = `${scope.now.toISOString()}|${timeZone}|${days}`;
  const cached = starts.get(key);
  if (cached !== undefined) return cached;
  const nowWall = wall(scope.now.getTime(), timeZone);
  const date = new Date(
    Date.UTC(Number(nowWall.slice(0, 4)), Number(nowWall.slice(5, 7)) - 1, Number(nowWall.slice(8, 10)) - days),
  );
  const target = `${date.toISOString().slice(0, 10)} ${nowWall.slice(11)}`;
  let t = scope.now.getTime() - days * DAY - 4 * 3_600_000;
  while (wall(t, timeZone) < target) t += 60_000;
  starts.set(key, t);
  return t;
}

function instantWithin(
  scope: ReferenceScope,
  at: number,
  timeZone: string,
  rule: { withinDays?: number; atLeastDaysAgo?: number },
) {
  if (rule.withinDays !== undefined) return at > daysAgo(scope, timeZone, rule.withinDays) && at <= scope.now.getTime();
  if (rule.atLeastDaysAgo !== undefined) return at <= daysAgo(scope, timeZone, rule.atLeastDaysAgo);
  return false;
}

function dayWithin(day: number, t: number, rule: { withinDays?: number; atLeastDaysAgo?: number }) {
  if (rule.withinDays !== undefined) return t - day < rule.withinDays && day <= t;
  if (rule.atLeastDaysAgo !== undefined) return t - day >= rule.atLeastDaysAgo;
  return false;
}

export function referenceMatches(rule: AudienceRule, m: ReferenceMember, scope: ReferenceScope): boolean {
  const { member } = m;
  const tz = member.timeZone;
  switch (rule.rule) {
    case 'all':
      return rule.of.every((r) => referenceMatches(r, m, scope));
    case 'any':
      return rule.of.some((r) => referenceMatches(r, m, scope));
    case 'not':
      return !referenceMatches(rule.of, m, scope);
    case 'audience': {
      const inner = scope.audiences.get(rule.audienceId);
      return inner ? referenceMatches(inner, m, scope) : false;
    }
    case 'attribute': {
      const declaration = scope.attributes.find((d) => d.name === rule.name);
      const raw = member.attributes?.[rule.name];
      let value: string | number | boolean | undefined = raw;
      if (!declaration) value = undefined;
      else if (declaration.type === 'number' && typeof raw !== 'number') value = undefined;
      else if (declaration.type === 'boolean' && typeof raw !== 'boolean') value = undefined;
      else if ((declaration.type === 'string' || declaration.type === 'date') && typeof raw !== 'string')
        value = undefined;
      else if (declaration.type === 'enum' && !(typeof raw === 'string' && declaration.values?.includes(raw)))
        value = undefined;
      if (rule.exists !== undefined) return (value !== undefined) === rule.exists;
      if (value === undefined) return false;
      if (rule.equals !== undefined) return value === rule.equals;
      if (rule.in !== undefined) return rule.in.some((v) => v === value);
      if (rule.min !== undefined || rule.max !== undefined) {
        const minOk = rule.min === undefined || (typeof rule.min === typeof value && value >= rule.min);
        const maxOk = rule.max === undefined || (typeof rule.max === typeof value && value <= rule.max);
        return typeof value !== 'boolean' && minOk && maxOk;
      }
      if (typeof value !== 'string') return false;
      if (rule.before !== undefined) return value < rule.before;
      if (rule.after !== undefined) return value > rule.after;
      return dayWithin(dayNumber(value), today(scope, tz), rule);
    }
    case 'bought': {
      const t = today(scope, tz);
      const dates = new Set(
        m.lines
          .filter((l) => (rule.product !== undefined ? l.productId === rule.product : l.category === rule.category))
          .map((l) => dayNumber(l.at.slice(0, 10)))
          .filter((d) => t - d < rule.withinDays && d <= t),
      );
      return dates.size >= (rule.atLeast ?? 1);
    }
    case 'spent': {
      const t = today(scope, tz);
      const cents = m.lines
        .filter((l) => {
          const d = dayNumber(l.at.slice(0, 10));
          return t - d < rule.withinDays && d <= t;
        })
        .reduce((sum, l) => sum + Math.round((l.amount ?? 0) * 100), 0);
      return (
        (rule.min === undefined || cents >= Math.round(rule.min * 100)) &&
        (rule.max === undefined || cents <= Math.round(rule.max * 100))
      );
    }
    case 'last-purchase': {
      if (m.lines.length === 0) return false;
      const newest = Math.max(...m.lines.map((l) => dayNumber(l.at.slice(0, 10))));
      return dayWithin(newest, today(scope, tz), rule);
    }
    case 'last-click':
      return member.lastEngagedAt !== undefined && instantWithin(scope, Date.parse(member.lastEngagedAt), tz, rule);
    case 'joined':
      return instantWithin(scope, Date.parse(member.joinedAt), tz, rule);
    case 'engagement': {
      const engaged = Math.max(
        member.lastEngagedAt ? Date.parse(member.lastEngagedAt) : Number.NEGATIVE_INFINITY,
        ...m.lines.map((l) => Date.parse(l.at)),
      );
      const unengaged = Object.values(m.ledger.sends).filter((s) => s.kind !== 'dropped' && s.at > engaged).length;
      return unengaged >= scope.passiveAfter === (rule.state === 'passive');
    }
    case 'birthday-month':
      return (
        member.birthDate !== undefined && member.birthDate.slice(5, 7) === wall(scope.now.getTime(), tz).slice(5, 7)
      );
    case 'anniversary-month': {
      const joined = wall(Date.parse(member.joinedAt), tz);
      const now = wall(scope.now.getTime(), tz);
      return joined.slice(5, 7) === now.slice(5, 7) && joined.slice(0, 4) < now.slice(0, 4);
    }
    case 'recipient-of': {
      const send = m.ledger.sends[sendIdFor(scope.clubId, rule.campaignId, member.memberId)];
      return send !== undefined && send.kind !== 'dropped';
    }
  }
}
