/**
 * HTML built with the `html` tag: every interpolated value is escaped unless it is markup itself,
 * so no text is ever escaped (or forgotten) by hand. The core's own small version of hono's `html`
 * helper (which the member pages use): the core imports nothing but zod, liquidjs and node:crypto.
 */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text (escaped), numbers, markup, lists of these, and nothing (left out). */
export type Interpolation = string | number | Markup | false | null | undefined | readonly Interpolation[];

export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

/** Markup that is already safe: the output of a Liquid engine that escapes every value itself. */
export function trustedMarkup(value: string): Markup {
  return new Markup(value);
}

function render(value: Interpolation): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  return '';
}

/** The five characters that matter in text and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
