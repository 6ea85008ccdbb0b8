import { z } from 'zod';
import { AudienceInput } from '../../../app/audiences.js';
import type { Issue } from '../../../app/refusal.js';
import type { AttributeDeclaration } from '../../../core/attributes.js';
import type { SavedAudience } from '../../../core/audience.js';
import type { AudienceRule } from '../../../core/audience-rules.js';
import { formatPath } from '../../api-error.js';

/**
 * The audience builder's form as the browser posts it, and back (docs/decisions/0051): strings as
 * typed, one row per condition, joined by all or any, each row maybe negated. The rule it makes is
 * checked by the API's own schema (`AudienceInput`) and the use case, so both give the same answers.
 */

/** The conditions the builder offers. Diets are never one of them: they protect members. */
export const CONDITION_KINDS = [
  'attribute',
  'bought',
  'last-purchase',
  'last-click',
  'engagement',
  'joined',
  'birthday-month',
  'anniversary-month',
  'audience',
  'recipient-of',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** An attribute comparison as the builder names it. */
export const ATTRIBUTE_OPS = [
  'equals',
  'in',
  'min',
  'max',
  'before',
  'after',
  'withinDays',
  'atLeastDaysAgo',
  'exists',
] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];

export interface ConditionForm {
  readonly kind: string;
  readonly not: boolean;
  readonly attribute: string;
  readonly op: string;
  readonly value: string;
  /** product or category */
  readonly target: string;
  readonly item: string;
  readonly days: string;
  /** within (the last N days) or ago (at least N days ago) */
  readonly dayMode: string;
  readonly times: string;
  readonly state: string;
  readonly audienceId: string;
  readonly campaignId: string;
}

export interface AudienceForm {
  readonly name: string;
  readonly description: string;
  readonly combine: 'all' | 'any';
  readonly conditions: readonly ConditionForm[];
}

/** The most rows the builder shows (the API takes up to 50 at one level). */
export const MAX_CONDITIONS = 20;

export const emptyCondition = (kind = 'attribute'): ConditionForm => ({
  kind,
  not: false,
  attribute: '',
  op: 'equals',
  value: '',
  target: 'category',
  item: '',
  days: '30',
  dayMode: 'within',
  times: '1',
  state: 'active',
  audienceId: '',
  campaignId: '',
});

export const emptyAudienceForm = (): AudienceForm => ({
  name: '',
  description: '',
  combine: 'all',
  conditions: [emptyCondition()],
});

const text = (body: URLSearchParams, name: string) => body.get(name)?.trim() ?? '';

/** The form from a posted body: rows `c0.kind`, `c1.kind`, … in order, up to MAX_CONDITIONS. */
export function readAudienceForm(body: URLSearchParams): AudienceForm {
  const conditions: ConditionForm[] = [];
  for (let i = 0; i < MAX_CONDITIONS && body.has(`c${i}.kind`); i++) {
    const blank = emptyCondition();
    // A field the row's kind did not show (its kind just changed) starts as a new row's.
    const f = (name: Exclude<keyof ConditionForm, 'not'>) =>
      body.has(`c${i}.${name}`) ? text(body, `c${i}.${name}`) : blank[name];
    conditions.push({
      kind: f('kind'),
      not: body.get(`c${i}.not`) === 'on',
      attribute: f('attribute'),
      op: f('op') || blank.op,
      value: f('value'),
      target: f('target') || blank.target,
      item: f('item'),
      days: f('days'),
      dayMode: f('dayMode') || blank.dayMode,
      times: f('times'),
      state: f('state') || blank.state,
      audienceId: f('audienceId'),
      campaignId: f('campaignId'),
    });
  }
  return {
    name: text(body, 'name'),
    description: text(body, 'description'),
    combine: body.get('combine') === 'any' ? 'any' : 'all',
    conditions,
  };
}

/** What the builder's buttons ask: save, count, add a row, remove row N, or show a row's fields. */
export const BuilderAction = z
  .union([z.enum(['save', 'count', 'add', 'refresh']), z.string().regex(/^remove-\d{1,2}$/)])
  .catch('refresh');

const number = (value: string): number | string => (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);
const whole = (value: string): number | string => (/^\d+$/.test(value) ? Number(value) : value);

/** A typed value for an attribute of this type (left as typed when it does not fit: the schema says why). */
function valueFor(declaration: AttributeDeclaration | undefined, value: string): string | number | boolean {
  if (declaration?.type === 'number') return number(value);
  if (declaration?.type === 'boolean') {
    if (/^(true|yes|ja|1)$/i.test(value)) return true;
    if (/^(false|no|nej|0)$/i.test(value)) return false;
  }
  return value;
}

/** One row as raw rule JSON, before the schema has looked at it. */
function rawCondition(c: ConditionForm, attributes: readonly AttributeDeclaration[]): Record<string, unknown> {
  const days = c.dayMode === 'ago' ? { atLeastDaysAgo: whole(c.days) } : { withinDays: whole(c.days) };
  switch (c.kind) {
    case 'attribute': {
      const declaration = attributes.find((a) => a.name === c.attribute);
      const op = c.op;
      const comparison =
        op === 'in'
          ? {
              in: c.value
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean)
                .map((v) => (declaration?.type === 'number' ? number(v) : v)),
            }
          : op === 'withinDays' || op === 'atLeastDaysAgo'
            ? { [op]: whole(c.value) }
            : op === 'exists'
              ? { exists: true }
              : { [op]: valueFor(declaration, c.value) };
      return { rule: 'attribute', name: c.attribute, ...comparison };
    }
    case 'bought':
      return {
        rule: 'bought',
        [c.target === 'product' ? 'product' : 'category']: c.item,
        withinDays: whole(c.days),
        ...(c.times === '' ? {} : { atLeast: whole(c.times) }),
      };
    case 'last-purchase':
    case 'last-click':
    case 'joined':
      return { rule: c.kind, ...days };
    case 'engagement':
      return { rule: 'engagement', state: c.state };
    case 'birthday-month':
    case 'anniversary-month':
      return { rule: c.kind };
    case 'audience':
      return { rule: 'audience', audienceId: c.audienceId };
    case 'recipient-of':
      return { rule: 'recipient-of', campaignId: c.campaignId };
    default:
      return { rule: c.kind };
  }
}

/** The form as `AudienceInput` would receive it from the API. */
export function rawAudienceInput(form: AudienceForm, attributes: readonly AttributeDeclaration[]): unknown {
  return {
    name: form.name,
    ...(form.description ? { description: form.description } : {}),
    rule: {
      rule: form.combine,
      of: form.conditions.map((c) => {
        const raw = rawCondition(c, attributes);
        return c.not ? { rule: 'not', of: raw } : raw;
      }),
    },
  };
}

/** The form checked by the API's schema: the input, or the problems with paths as the API names them. */
export function audienceInputOf(
  form: AudienceForm,
  attributes: readonly AttributeDeclaration[],
): { ok: true; input: AudienceInput } | { ok: false; issues: Issue[] } {
  if (form.conditions.length === 0) return { ok: false, issues: [{ path: 'rule.of', message: 'add a condition' }] };
  const parsed = AudienceInput.safeParse(rawAudienceInput(form, attributes));
  if (parsed.success) return { ok: true, input: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
  };
}

const FIELD_OF_KEY: Readonly<Record<string, keyof ConditionForm>> = {
  name: 'attribute',
  product: 'item',
  category: 'item',
  atLeast: 'times',
  state: 'state',
  audienceId: 'audienceId',
  campaignId: 'campaignId',
  rule: 'kind',
};

/**
 * Where an issue belongs in the form: `name`, `description`, `form` (the whole rule), or a row's
 * field as `c<i>-<field>` (the id of its input).
 */
export function fieldOfIssue(path: string, form: AudienceForm): string {
  if (path === 'name' || path === 'description') return path;
  const row = /^rule\.of\[(\d+)\](?:\.of)?(?:\.(\w+))?/.exec(path);
  if (!row?.[1]) return 'form';
  const i = Number(row[1]);
  const condition = form.conditions[i];
  const key = row[2];
  if (!condition || key === undefined) return condition ? `c${i}-kind` : 'form';
  const mapped = FIELD_OF_KEY[key];
  if (mapped === 'kind' || (condition.kind === 'attribute' && mapped === 'attribute')) return `c${i}-${mapped}`;
  if (mapped && condition.kind !== 'attribute') return `c${i}-${mapped}`;
  if (condition.kind === 'attribute') return `c${i}-value`;
  if (key === 'withinDays' || key === 'atLeastDaysAgo') return `c${i}-days`;
  return `c${i}-kind`;
}

/** A saved audience's rule as builder rows, when it fits them (all/any of rows, each maybe negated). */
export function audienceFormOf(audience: SavedAudience): AudienceForm | undefined {
  const top = audience.rule;
  const rows = top.rule === 'all' || top.rule === 'any' ? top.of : [top];
  const conditions: ConditionForm[] = [];
  for (const node of rows) {
    const not = node.rule === 'not';
    const inner = node.rule === 'not' ? node.of : node;
    const row = conditionOf(inner);
    if (!row) return undefined;
    conditions.push({ ...row, not });
  }
  return {
    name: audience.name,
    description: audience.description,
    combine: top.rule === 'any' ? 'any' : 'all',
    conditions,
  };
}

function conditionOf(rule: AudienceRule): ConditionForm | undefined {
  const blank = emptyCondition(rule.rule);
  const daysOf = (r: { withinDays?: number | undefined; atLeastDaysAgo?: number | undefined }) =>
    r.withinDays !== undefined
      ? { days: String(r.withinDays), dayMode: 'within' }
      : { days: String(r.atLeastDaysAgo ?? ''), dayMode: 'ago' };
  switch (rule.rule) {
    case 'attribute': {
      const op: AttributeOp | undefined =
        rule.equals !== undefined
          ? 'equals'
          : rule.in !== undefined
            ? 'in'
            : rule.min !== undefined && rule.max === undefined
              ? 'min'
              : rule.max !== undefined && rule.min === undefined
                ? 'max'
                : rule.before !== undefined
                  ? 'before'
                  : rule.after !== undefined
                    ? 'after'
                    : rule.withinDays !== undefined
                      ? 'withinDays'
                      : rule.atLeastDaysAgo !== undefined
                        ? 'atLeastDaysAgo'
                        : rule.exists === true
                          ? 'exists'
                          : undefined;
      if (!op) return undefined;
      const value =
        op === 'in' ? (rule.in ?? []).join(', ') : op === 'exists' ? '' : String(rule[op] ?? rule.equals ?? '');
      return { ...blank, attribute: rule.name, op, value };
    }
    case 'bought':
      return {
        ...blank,
        target: rule.product !== undefined ? 'product' : 'category',
        item: rule.product ?? rule.category ?? '',
        days: String(rule.withinDays),
        times: String(rule.atLeast ?? 1),
      };
    case 'last-purchase':
    case 'last-click':
    case 'joined':
      return { ...blank, ...daysOf(rule) };
    case 'engagement':
      return { ...blank, state: rule.state };
    case 'birthday-month':
    case 'anniversary-month':
      return blank;
    case 'audience':
      return { ...blank, audienceId: rule.audienceId };
    case 'recipient-of':
      return { ...blank, campaignId: rule.campaignId };
    default:
      return undefined;
  }
}
