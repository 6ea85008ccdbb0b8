import { Liquid, LiquidError } from 'liquidjs';
import { z } from 'zod';
import { ClubPlannerError } from './errors.js';
import { hasUnsafeCharacters, UNSAFE_TEXT_MESSAGE } from './safe-text.js';

/**
 * Mail templates marketers can edit, in Liquid (liquidjs), failing closed: a syntax error, an
 * unknown variable or an unknown filter is an error with its template line, never a mail with a
 * hole in it. Marketers write the content (headline, intro, offers, closing); the frame around it
 * (brand colours, preheader, the footer with "why you got this", the preference and unsubscribe links
 * and the postal address) stays in code, so no template can drop the unsubscribe link.
 *
 * Sandbox: no file system (`templates: {}` makes include/render/layout look only in an empty map),
 * own properties only, and limits on template size, render time and memory.
 */

/** Every variable a template may use. */
export interface TemplateContext {
  readonly member: { readonly first_name: string };
  readonly club: { readonly name: string };
  /** The brand's colours (#rrggbb), for templates that style their own content. */
  readonly brand: { readonly primary: string; readonly text: string };
  /** The theme's copy for this member's language, already filled in. */
  readonly copy: {
    readonly subject: string;
    readonly preheader: string;
    readonly headline: string;
    readonly intro: string;
    readonly closing: string;
    readonly cta_label: string;
  };
  readonly offers: ReadonlyArray<{
    readonly name: string;
    readonly headline: string;
    readonly reason: string;
    readonly valid_until: string;
  }>;
  /** The occasion, when the campaign has one; `occasion.id` is "" otherwise. */
  readonly occasion: { readonly id: string; readonly fun_fact: string; readonly years_as_member: number };
  readonly links: { readonly preferences: string; readonly offers: string };
  readonly labels: { readonly valid_until: string };
}

const Source = (max: number) => z.string().min(1).max(max);

/** A campaign's own templates; any part left out uses the built-in one. */
export const MailTemplate = z.object({
  subject: Source(300)
    .refine((text) => !hasUnsafeCharacters(text), UNSAFE_TEXT_MESSAGE)
    .optional(),
  html: Source(20_000).optional(),
  text: Source(20_000).optional(),
});
export type MailTemplate = z.infer<typeof MailTemplate>;

export const DEFAULT_TEMPLATE: Required<MailTemplate> = {
  subject: '{{ copy.subject }}',
  html: `<h1 style="margin:0 0 12px;font-size:24px;line-height:1.3">{{ copy.headline }}</h1>
<p style="margin:0 0 16px;font-size:16px;line-height:1.5">{{ copy.intro }}</p>
{% if occasion.fun_fact != "" %}<p style="margin:0 0 16px;font-size:15px;line-height:1.5;font-style:italic">{{ occasion.fun_fact }}</p>{% endif %}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
{% for offer in offers %}<tr><td style="padding:12px 0;border-bottom:1px solid #e5e5e5">
<div style="font-size:18px;font-weight:bold">{{ offer.name }}</div>
<div style="font-size:16px;font-weight:bold;color:{{ brand.primary }}">{{ offer.headline }}</div>
<div style="font-size:14px;color:#555555">{{ offer.reason }}{% if offer.valid_until != "" %} · {{ labels.valid_until }} {{ offer.valid_until }}{% endif %}</div>
</td></tr>
{% endfor %}</table>
<p style="margin:16px 0 0;font-size:16px;line-height:1.5">{{ copy.closing }}</p>`,
  text: `{{ copy.headline }}

{{ copy.intro }}
{% if occasion.fun_fact != "" %}
{{ occasion.fun_fact }}
{% endif %}
{% for offer in offers %}* {{ offer.name }}: {{ offer.headline }}
  {{ offer.reason }}{% if offer.valid_until != "" %} ({{ labels.valid_until }} {{ offer.valid_until }}){% endif %}
{% endfor %}
{{ copy.closing }}`,
};

export type TemplatePart = keyof MailTemplate;

/** A template that cannot render, with where: "html line 3: undefined variable: member.firstname". */
export class TemplateError extends ClubPlannerError {
  constructor(
    readonly part: TemplatePart,
    readonly line: number | undefined,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${part}${line === undefined ? '' : ` line ${line}`}: ${detail}`, options);
    this.name = 'TemplateError';
  }
}

const limits = { parseLimit: 100_000, renderLimit: 1_000, memoryLimit: 10_000_000 };
const sandbox = { strictVariables: true, strictFilters: true, ownPropertyOnly: true, templates: {}, ...limits };
const htmlEngine = new Liquid({ ...sandbox, outputEscape: 'escape' });
const textEngine = new Liquid(sandbox);

/** Render one part; HTML output escapes every value, so member and marketer text cannot inject markup. */
export function renderPart(part: TemplatePart, source: string, context: TemplateContext): string {
  const engine = part === 'html' ? htmlEngine : textEngine;
  const raw = /\|\s*raw\b/.exec(source);
  if (raw) {
    // `raw` would switch escaping off: a first name could then carry markup into the mail.
    throw new TemplateError(
      part,
      source.slice(0, raw.index).split('\n').length,
      'the raw filter is not allowed: every value is escaped',
    );
  }
  try {
    return engine.parseAndRenderSync(source, { ...context });
  } catch (error: unknown) {
    throw toTemplateError(part, error);
  }
}

/** A sample context with every variable set, so checking a template exercises every path. */
export const SAMPLE_CONTEXT: TemplateContext = {
  member: { first_name: 'Anna' },
  club: { name: 'Club' },
  brand: { primary: '#1d6b3a', text: '#111111' },
  copy: {
    subject: 'Subject',
    preheader: 'Preheader',
    headline: 'Headline',
    intro: 'Intro',
    closing: 'Closing',
    cta_label: 'See more',
  },
  offers: [{ name: 'Milk', headline: '2 for 1', reason: 'You often buy Milk', valid_until: '2030-01-01' }],
  occasion: { id: 'birthday', fun_fact: 'A fun fact', years_as_member: 3 },
  links: { preferences: 'https://example.com/p', offers: 'https://example.com/o' },
  labels: { valid_until: 'Valid until' },
};

/** Every problem in a campaign's templates, each naming its part and line; empty when all render. */
export function checkTemplate(template: MailTemplate): TemplateError[] {
  const problems: TemplateError[] = [];
  for (const part of ['subject', 'html', 'text'] as const) {
    const source = template[part];
    if (source === undefined) continue;
    try {
      renderPart(part, source, SAMPLE_CONTEXT);
    } catch (error: unknown) {
      problems.push(error instanceof TemplateError ? error : toTemplateError(part, error));
    }
  }
  return problems;
}

/** Subjects longer than this are cut off in common inbox list views (theme-library.ts SUBJECT_MAX). */
export const RENDERED_SUBJECT_MAX = 60;

/**
 * The longest a campaign's subject template can render to, judged with a 12-character first name
 * and each of the theme's own subject lines: what the inbox will actually show.
 */
export function longestSubject(subject: string, themeSubjects: readonly string[]): number {
  const probe = { ...SAMPLE_CONTEXT, member: { first_name: 'Maximilianne' } };
  const candidates = themeSubjects.length > 0 ? themeSubjects : [SAMPLE_CONTEXT.copy.subject];
  return Math.max(
    ...candidates.map(
      (s) => [...renderPart('subject', subject, { ...probe, copy: { ...probe.copy, subject: s } }).trim()].length,
    ),
  );
}

function toTemplateError(part: TemplatePart, error: unknown): TemplateError {
  if (error instanceof LiquidError) {
    const match = /line:(\d+)/.exec(error.message);
    const detail = error.message.replace(/, line:\d+, col:\d+.*$/s, '');
    return new TemplateError(part, match?.[1] === undefined ? undefined : Number(match[1]), detail, { cause: error });
  }
  return new TemplateError(part, undefined, error instanceof Error ? error.message : String(error), { cause: error });
}
