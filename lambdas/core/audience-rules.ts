/**
 * Audience rules: JSON that says whom a campaign is for, composable with all / any / not, with no
 * query language (docs/decisions/0039-audiences.md, README "Audiences"). Pure: the schema, the check
 * against the club's attributes and saved audiences, and the refusal of any rule about diets.
 */
import { z } from 'zod';
import { type AttributeDeclaration, DIET_REFUSAL, namesDiet } from './attributes.js';
import { Category, Id } from './ids.js';
import { ACTIVITY_DAYS, MAX_TIMES } from './purchase-activity.js';

/** A rule has at most this many conditions in all, and nests at most this deep (saved audiences inlined). */
export const MAX_RULE_NODES = 100;
export const MAX_RULE_DEPTH = 12;

const Days = z
  .number()
  .int()
  .min(1)
  .max(10 * 366);
const PurchaseDays = z.number().int().min(1).max(ACTIVITY_DAYS);
const IsoDate = z.iso.date({ error: 'expected a date as YYYY-MM-DD' });
const Scalar = z.union([z.string().min(1).max(200), z.number(), z.boolean()]);

/** Exactly one of the relative-date fields. */
const relative = { withinDays: Days.optional(), atLeastDaysAgo: Days.optional() };
const oneRelative = (
  r: { withinDays?: number | undefined; atLeastDaysAgo?: number | undefined },
  ctx: z.RefinementCtx,
) => {
  if ((r.withinDays === undefined) === (r.atLeastDaysAgo === undefined))
    ctx.addIssue({ code: 'custom', path: ['withinDays'], message: 'give one of withinDays or atLeastDaysAgo' });
};

/** The comparisons an attribute rule can make; exactly one (min and max together are one range). */
export const ATTRIBUTE_OPERATORS = ['equals', 'in', 'range', 'before', 'after', 'relative', 'exists'] as const;

const AttributeRule = z
  .strictObject({
    rule: z.literal('attribute'),
    name: z.string().min(1).max(40),
    equals: Scalar.optional(),
    in: z
      .array(z.union([z.string().min(1).max(200), z.number()]))
      .min(1)
      .max(200)
      .optional(),
    /** A range, both ends included: numbers, or dates as YYYY-MM-DD. */
    min: z.union([z.number(), IsoDate]).optional(),
    max: z.union([z.number(), IsoDate]).optional(),
    before: IsoDate.optional(),
    after: IsoDate.optional(),
    exists: z.boolean().optional(),
    ...relative,
  })
  .superRefine((r, ctx) => {
    const ops = operatorsOf(r);
    if (ops.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `give exactly one comparison (equals, in, min/max, before, after, withinDays, atLeastDaysAgo or exists), got ${ops.length === 0 ? 'none' : ops.join(', ')}`,
      });
    if (typeof r.min !== typeof r.max && r.min !== undefined && r.max !== undefined)
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'min and max must both be numbers or both dates' });
  });
export type AttributeRule = z.infer<typeof AttributeRule>;

/** The comparisons an attribute rule makes. */
export function operatorsOf(r: Omit<AttributeRule, 'rule' | 'name'>): Array<(typeof ATTRIBUTE_OPERATORS)[number]> {
  const ops: Array<(typeof ATTRIBUTE_OPERATORS)[number]> = [];
  if (r.equals !== undefined) ops.push('equals');
  if (r.in !== undefined) ops.push('in');
  if (r.min !== undefined || r.max !== undefined) ops.push('range');
  if (r.before !== undefined) ops.push('before');
  if (r.after !== undefined) ops.push('after');
  if (r.withinDays !== undefined || r.atLeastDaysAgo !== undefined) ops.push('relative');
  if (r.exists !== undefined) ops.push('exists');
  return ops;
}

const BoughtRule = z
  .strictObject({
    rule: z.literal('bought'),
    product: Id.optional(),
    category: Category.optional(),
    withinDays: PurchaseDays,
    /** At least this many purchase dates in the window (default 1). */
    atLeast: z.number().int().min(1).max(MAX_TIMES).optional(),
  })
  .refine((r) => (r.product === undefined) !== (r.category === undefined), {
    path: ['product'],
    message: 'give one of product or category',
  });

const SpentRule = z
  .strictObject({
    rule: z.literal('spent'),
    withinDays: PurchaseDays,
    /** In the club's currency, both ends included; receipts without amounts count as 0. */
    min: z.number().min(0).optional(),
    max: z.number().min(0).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.min === undefined && r.max === undefined)
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'give min, max or both' });
    if (r.min !== undefined && r.max !== undefined && r.min > r.max)
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'is below min' });
  });

const relativeRule = <const K extends string>(rule: K) =>
  z.strictObject({ rule: z.literal(rule), ...relative }).superRefine(oneRelative);

/** The kinds of rules there are (and none about diets: see DIET_REFUSAL). */
export type AudienceRule =
  | { readonly rule: 'all' | 'any'; readonly of: readonly AudienceRule[] }
  | { readonly rule: 'not'; readonly of: AudienceRule }
  | AttributeRule
  | z.infer<typeof BoughtRule>
  | z.infer<typeof SpentRule>
  | {
      readonly rule: 'last-purchase' | 'last-click' | 'joined';
      readonly withinDays?: number;
      readonly atLeastDaysAgo?: number;
    }
  | { readonly rule: 'engagement'; readonly state: 'active' | 'passive' }
  | { readonly rule: 'birthday-month' | 'anniversary-month' }
  | { readonly rule: 'audience'; readonly audienceId: string }
  | { readonly rule: 'recipient-of'; readonly campaignId: string };

export const AudienceRule: z.ZodType<AudienceRule> = z.lazy(() =>
  z.discriminatedUnion('rule', [
    z.strictObject({ rule: z.literal('all'), of: z.array(AudienceRule).min(1).max(50) }),
    z.strictObject({ rule: z.literal('any'), of: z.array(AudienceRule).min(1).max(50) }),
    z.strictObject({ rule: z.literal('not'), of: AudienceRule }),
    AttributeRule,
    BoughtRule,
    SpentRule,
    relativeRule('last-purchase'),
    relativeRule('last-click'),
    relativeRule('joined'),
    z.strictObject({ rule: z.literal('engagement'), state: z.enum(['active', 'passive']) }),
    z.strictObject({ rule: z.literal('birthday-month') }),
    z.strictObject({ rule: z.literal('anniversary-month') }),
    z.strictObject({ rule: z.literal('audience'), audienceId: Id }),
    z.strictObject({ rule: z.literal('recipient-of'), campaignId: Id }),
  ]),
);

export const RULE_KINDS = [
  'all',
  'any',
  'not',
  'attribute',
  'bought',
  'spent',
  'last-purchase',
  'last-click',
  'joined',
  'engagement',
  'birthday-month',
  'anniversary-month',
  'audience',
  'recipient-of',
] as const;

/**
 * The first place in raw rule JSON that names a diet or a restriction: a rule kind, an attribute name
 * or any key. Checked before the schema, so such a rule gets the refusal rather than "unknown rule".
 */
export function dietReference(input: unknown, path: Array<string | number> = []): Array<string | number> | undefined {
  if (Array.isArray(input)) {
    for (const [i, item] of input.entries()) {
      const found = dietReference(item, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof input !== 'object' || input === null) return undefined;
  for (const [key, value] of Object.entries(input)) {
    if (namesDiet(key)) return [...path, key];
    if ((key === 'rule' || key === 'name' || key === 'attribute') && typeof value === 'string' && namesDiet(value))
      return [...path, key];
    const found = dietReference(value, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** A rule as a marketer sends it: refused with DIET_REFUSAL when it names a diet, else checked by the schema. */
export const AudienceRuleInput = z
  .unknown()
  .superRefine((input, ctx) => {
    const at = dietReference(input);
    if (at) ctx.addIssue({ code: 'custom', path: at, message: DIET_REFUSAL, fatal: true });
  })
  .pipe(AudienceRule);

/** Every rule inside `rule`, itself first. */
export function* walkRule(
  rule: AudienceRule,
  path: Array<string | number> = [],
): Generator<[AudienceRule, Array<string | number>]> {
  yield [rule, path];
  if (rule.rule === 'all' || rule.rule === 'any') {
    for (const [i, child] of rule.of.entries()) yield* walkRule(child, [...path, 'of', i]);
  } else if (rule.rule === 'not') yield* walkRule(rule.of, [...path, 'of']);
}

/** One thing wrong with a rule, at a path inside it. */
export interface RuleIssue {
  readonly path: Array<string | number>;
  readonly message: string;
}

/** What a rule is checked against: the club's attributes, its saved audiences' rules, and its campaigns. */
export interface RuleScope {
  readonly attributes: readonly AttributeDeclaration[];
  /** Saved audiences by id (the one being saved left out or given its new rule). */
  readonly audiences: ReadonlyMap<string, AudienceRule>;
  readonly campaignIds: ReadonlySet<string>;
}

/**
 * Check a rule against the club: declared attributes with comparisons that fit their types, saved
 * audiences that exist and do not lead back to `self` (a cycle), campaigns that exist, and size limits.
 */
export function ruleIssues(rule: AudienceRule, scope: RuleScope, self?: string): RuleIssue[] {
  const issues: RuleIssue[] = [];

  for (const [node, path] of walkRule(rule)) {
    if (node.rule === 'attribute') issues.push(...attributeIssues(node, scope.attributes, path));
    else if (node.rule === 'audience') {
      if (node.audienceId === self)
        issues.push({ path: [...path, 'audienceId'], message: 'an audience cannot include itself' });
      else if (!scope.audiences.has(node.audienceId))
        issues.push({ path: [...path, 'audienceId'], message: `no saved audience ${node.audienceId}` });
      else {
        const cycle = cycleFrom(node.audienceId, scope.audiences, self);
        if (cycle)
          issues.push({ path: [...path, 'audienceId'], message: `leads back to itself: ${cycle.join(' → ')}` });
      }
    } else if (node.rule === 'recipient-of' && !scope.campaignIds.has(node.campaignId))
      issues.push({ path: [...path, 'campaignId'], message: `no campaign ${node.campaignId}` });
  }
  if (issues.length === 0) {
    const size = inlinedSize(rule, scope.audiences);
    if (size.nodes > MAX_RULE_NODES)
      issues.push({
        path: [],
        message: `has ${size.nodes} conditions with its saved audiences; at most ${MAX_RULE_NODES}`,
      });
    else if (size.depth > MAX_RULE_DEPTH)
      issues.push({
        path: [],
        message: `nests ${size.depth} deep with its saved audiences; at most ${MAX_RULE_DEPTH}`,
      });
  }
  return issues;
}

/** The chain of audiences from `start` that reaches `self` or repeats, if any. */
function cycleFrom(
  start: string,
  audiences: ReadonlyMap<string, AudienceRule>,
  self: string | undefined,
): string[] | undefined {
  const visit = (id: string, chain: string[]): string[] | undefined => {
    if (id === self || chain.includes(id)) return [...chain, id];
    const rule = audiences.get(id);
    if (!rule) return undefined;
    for (const [node] of walkRule(rule)) {
      if (node.rule !== 'audience') continue;
      const found = visit(node.audienceId, [...chain, id]);
      if (found) return found;
    }
    return undefined;
  };
  const found = visit(start, self ? [self] : []);
  return found;
}

/** Conditions and depth once every saved audience is written in place. */
function inlinedSize(
  rule: AudienceRule,
  audiences: ReadonlyMap<string, AudienceRule>,
): { nodes: number; depth: number } {
  const size = (r: AudienceRule, seen: ReadonlySet<string>): { nodes: number; depth: number } => {
    if (r.rule === 'all' || r.rule === 'any') {
      const parts = r.of.map((c) => size(c, seen));
      return { nodes: 1 + parts.reduce((n, p) => n + p.nodes, 0), depth: 1 + Math.max(...parts.map((p) => p.depth)) };
    }
    if (r.rule === 'not') {
      const inner = size(r.of, seen);
      return { nodes: 1 + inner.nodes, depth: 1 + inner.depth };
    }
    if (r.rule === 'audience') {
      const inner = audiences.get(r.audienceId);
      if (!inner || seen.has(r.audienceId)) return { nodes: 1, depth: 1 };
      const s = size(inner, new Set([...seen, r.audienceId]));
      return { nodes: s.nodes, depth: 1 + s.depth };
    }
    return { nodes: 1, depth: 1 };
  };
  return size(rule, new Set());
}

const OPERATORS_BY_TYPE: Readonly<Record<AttributeDeclaration['type'], readonly string[]>> = {
  string: ['equals', 'in', 'exists'],
  enum: ['equals', 'in', 'exists'],
  number: ['equals', 'in', 'range', 'exists'],
  date: ['equals', 'range', 'before', 'after', 'relative', 'exists'],
  boolean: ['equals', 'exists'],
};

function attributeIssues(
  rule: AttributeRule,
  declarations: readonly AttributeDeclaration[],
  path: Array<string | number>,
): RuleIssue[] {
  const declaration = declarations.find((d) => d.name === rule.name);
  if (!declaration) {
    const known = declarations.map((d) => d.name).join(', ') || 'none';
    return [{ path: [...path, 'name'], message: `is not an attribute the club declared (declared: ${known})` }];
  }
  const [op] = operatorsOf(rule);
  if (!op) return [];
  if (!OPERATORS_BY_TYPE[declaration.type].includes(op))
    return [
      {
        path: [...path, op === 'range' ? 'min' : op === 'relative' ? 'withinDays' : op],
        message: `a ${declaration.type} attribute takes ${OPERATORS_BY_TYPE[declaration.type].join(', ')}`,
      },
    ];
  const check = (field: string, value: unknown): RuleIssue[] => {
    const ok =
      declaration.type === 'number'
        ? typeof value === 'number'
        : declaration.type === 'boolean'
          ? typeof value === 'boolean'
          : declaration.type === 'date'
            ? typeof value === 'string' && IsoDate.safeParse(value).success
            : typeof value === 'string' && (declaration.type !== 'enum' || (declaration.values ?? []).includes(value));
    if (ok) return [];
    const expected =
      declaration.type === 'enum'
        ? `one of ${(declaration.values ?? []).join(', ')}`
        : declaration.type === 'string'
          ? 'text'
          : declaration.type === 'date'
            ? 'a date as YYYY-MM-DD'
            : `a ${declaration.type}`;
    return [{ path: [...path, field], message: `${rule.name} is a ${declaration.type}: expected ${expected}` }];
  };
  if (rule.equals !== undefined) return check('equals', rule.equals);
  if (rule.in !== undefined)
    return rule.in.flatMap((v, i) => check('in', v).map((x) => ({ ...x, path: [...x.path, i] })));
  return [
    ...(rule.min !== undefined ? check('min', rule.min) : []),
    ...(rule.max !== undefined ? check('max', rule.max) : []),
  ];
}

/** Where in the rule, as a reader would write it: `rule.of[1].name`. */
export function rulePath(issue: RuleIssue, prefix = 'rule'): string {
  return issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${key}`),
    prefix,
  );
}
