import { z } from 'zod';
import { ClubPlannerError } from './errors.js';
import { type BrandProfile, Emotion, Id, type Language } from './model.js';
import { hasUnsafeCharacters, UNSAFE_TEXT_MESSAGE } from './safe-text.js';

/**
 * The theme library: mail copy per emotion (and per occasion) in Swedish, Danish and English,
 * written separately for each language rather than translated. Themes are data: the built-ins
 * (built-in-themes.ts, built-in-occasions.ts), and marketers' own themes that arrive through the
 * API (custom-themes.ts). This file holds their schema and the lookups.
 *
 * Address ("tilltal"): `informal` is the default and the only variant every theme must have.
 * `formal` means more reserved wording (no exclamation marks, no slang, a conventional sign-off),
 * not a change of pronoun: Swedish marketing says "du" even when formal ("Ni" reads as stiff or
 * dated), modern Danish retail says "du" too ("De" reads as old-fashioned), and English has no
 * T–V distinction at all. A club that really wants "De" can add its own theme.
 *
 * Length limits count characters as the member sees them (code points, placeholders filled in,
 * with a 12-character first name). They follow commonly cited inbox limits:
 * - subject ≤ 60: desktop Gmail and Outlook show roughly 60–70 characters before cutting, and
 *   phones fewer, so the point should come early.
 * - preheader ≤ 100: inboxes show roughly 35–140 characters of it depending on the client and
 *   the subject's length; beyond 100 almost none does.
 */

/** Every placeholder copy may use, in Liquid syntax: `{{ first_name }}`. */
export const Placeholder = z.enum(['first_name', 'years_as_member', 'fun_fact']);
export type Placeholder = z.infer<typeof Placeholder>;

/** Theme copy knows only the member's name. */
const THEME_PLACEHOLDERS: readonly Placeholder[] = ['first_name'];
/** Occasion copy also knows how long the member has been with the club. */
const OCCASION_PLACEHOLDERS: readonly Placeholder[] = ['first_name', 'years_as_member'];
/**
 * The fun fact is optional (the marketer may supply none), so it may appear only in the
 * `funFactIntro` line, which is left out when there is no fact.
 */
const FUN_FACT_PLACEHOLDERS: readonly Placeholder[] = ['first_name', 'fun_fact'];

export const SUBJECT_MAX = 60;
export const PREHEADER_MAX = 100;

/**
 * Worst-case stand-ins for measuring length. The fun fact counts as empty here: its own length is
 * limited where the marketer enters it (occasions.ts, FunFact).
 */
const LENGTH_PROBE: Readonly<Record<Placeholder, string>> = {
  first_name: 'X'.repeat(12),
  years_as_member: '99',
  fun_fact: '',
};

/** `{{ name }}`; Liquid's whitespace control (`{{- x -}}`) and filters are deliberately not supported. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isPlaceholder = (name: string): name is Placeholder => Placeholder.safeParse(name).success;
const show = (names: readonly string[]) => names.map((n) => `{{ ${n} }}`).join(', ');
const normalise = (name: string) => name.toLowerCase().replaceAll(/[^a-z0-9]/g, '');

/** What is wrong with the placeholders in `text`, as messages naming each offending variable. */
export function placeholderProblems(text: string, allowed: readonly Placeholder[]): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const inner = match[1] ?? '';
    if (!BARE_NAME.test(inner)) {
      problems.push(`unsupported placeholder {{ ${inner} }}: write a bare variable, one of ${show(allowed)}`);
    } else if (!isPlaceholder(inner)) {
      const guess = Placeholder.options.find((known) => normalise(known) === normalise(inner));
      const hint = guess === undefined ? '' : `; did you mean {{ ${guess} }}?`;
      problems.push(`unknown placeholder {{ ${inner} }}${hint} Known here: ${show(allowed)}`);
    } else if (!allowed.includes(inner)) {
      const where = inner === 'fun_fact' ? ' (only in funFactIntro, which is left out when there is no fact)' : '';
      problems.push(`placeholder {{ ${inner} }} is not available here${where}; available: ${show(allowed)}`);
    }
  }
  const rest = text.replaceAll(PLACEHOLDER, '');
  if (/[{}]/.test(rest) || rest.includes('{%')) {
    // Catches the old "{name}" style and half-typed placeholders, which would otherwise reach members verbatim.
    problems.push(`stray "{" or "}": placeholders are written like {{ first_name }}`);
  }
  return problems;
}

/** A value was missing when filling in copy: a bug in the caller, since copy is validated. */
export class PlaceholderValueError extends ClubPlannerError {
  constructor(readonly placeholder: string) {
    super(`No value for placeholder {{ ${placeholder} }}`);
    this.name = 'PlaceholderValueError';
  }
}

/** Fill in `{{ name }}` placeholders; throws PlaceholderValueError when one has no value. */
export function fillPlaceholders(text: string, values: Readonly<Partial<Record<Placeholder, string>>>): string {
  return text.replaceAll(PLACEHOLDER, (_whole, inner: string) => {
    const value = isPlaceholder(inner) ? values[inner] : undefined;
    if (value === undefined) throw new PlaceholderValueError(inner);
    return value;
  });
}

/** Length as the member sees it: code points, with worst-case values for known placeholders. */
function visibleLength(text: string): number {
  const filled = text.replaceAll(PLACEHOLDER, (whole, inner: string) =>
    isPlaceholder(inner) ? LENGTH_PROBE[inner] : whole,
  );
  return [...filled].length;
}

function copyText(allowed: readonly Placeholder[], maxChars: number) {
  return z
    .string()
    .trim()
    .min(1)
    .superRefine((text, ctx) => {
      for (const message of placeholderProblems(text, allowed)) ctx.addIssue({ code: 'custom', message });
      const length = visibleLength(text);
      if (length > maxChars) {
        ctx.addIssue({
          code: 'custom',
          message: `is ${length} characters with a 12-character first name; keep it to ${maxChars}`,
        });
      }
    });
}

/** Subjects go into a header: no control, line-break or bidi characters (core/safe-text.ts). */
const oneLineText = (text: z.ZodType<string>) =>
  text.refine((value) => !hasUnsafeCharacters(value), UNSAFE_TEXT_MESSAGE);

const variants = (text: z.ZodType<string>) =>
  z
    .array(text)
    .min(1)
    .max(5)
    .refine((list) => new Set(list).size === list.length, 'variants must differ from each other');

export const CtaStyle = z.enum(['solid', 'outline', 'text']);
export type CtaStyle = z.infer<typeof CtaStyle>;

function copyBlockShape(allowed: readonly Placeholder[]) {
  return {
    /** A/B variants; each ≤ 60 characters with a 12-character name. */
    subjects: variants(oneLineText(copyText(allowed, SUBJECT_MAX))),
    /** The inbox preview line; each ≤ 100 characters with a 12-character name. */
    preheaders: variants(oneLineText(copyText(allowed, PREHEADER_MAX))),
    headline: copyText(allowed, 100),
    intro: copyText(allowed, 400),
    /** A short sign-off after the offers. */
    closing: copyText(allowed, 150),
    cta: z.strictObject({ label: copyText(allowed, 40), style: CtaStyle }),
  };
}

/** One language's copy for a theme. Strict, so a misspelt field is an error rather than silently dropped. */
export const ThemeCopyBlock = z.strictObject(copyBlockShape(THEME_PLACEHOLDERS));
export type ThemeCopyBlock = z.infer<typeof ThemeCopyBlock>;

/** One language's copy for an occasion: may use `{{ years_as_member }}`, and a line for the fun fact. */
export const OccasionCopyBlock = z.strictObject({
  ...copyBlockShape(OCCASION_PLACEHOLDERS),
  /** "Did you know? {{ fun_fact }}": shown only when the marketer supplies a fact. */
  funFactIntro: copyText(FUN_FACT_PLACEHOLDERS, 80)
    .refine((text) => text.includes('{{ fun_fact }}'), 'must contain {{ fun_fact }}')
    .optional(),
});
export type OccasionCopyBlock = z.infer<typeof OccasionCopyBlock>;

const addressVariants = <T extends z.ZodType>(block: T) =>
  z.strictObject({ informal: block, formal: block.optional() });

/** How the brand addresses members (BrandProfile.address). */
export type Address = BrandProfile['address'];

export const Theme = z.strictObject({
  id: Id,
  emotion: Emotion,
  copy: z.strictObject({
    sv: addressVariants(ThemeCopyBlock),
    da: addressVariants(ThemeCopyBlock),
    en: addressVariants(ThemeCopyBlock),
  }),
});
export type Theme = z.infer<typeof Theme>;

/** Occasion ids; the same as occasions.ts, kept local so copy and calendar stay independent. */
export const OccasionId = z.enum([
  'birthday',
  'membership-anniversary',
  'name-day',
  'valentines',
  'mothers-day',
  'fathers-day',
  'midsummer',
  'christmas',
]);
export type OccasionId = z.infer<typeof OccasionId>;

/** An occasion's copy. Swedish is always there; which other languages are required depends on the occasion. */
export const OccasionCopy = z.strictObject({
  sv: addressVariants(OccasionCopyBlock),
  da: addressVariants(OccasionCopyBlock).optional(),
  en: addressVariants(OccasionCopyBlock).optional(),
});
export type OccasionCopy = z.infer<typeof OccasionCopy>;

const ALL_LANGUAGES: readonly Language[] = ['sv', 'da', 'en'];

/**
 * Languages each occasion must have. Name days are a Swedish tradition: Denmark's almanac has
 * names too, but nobody celebrates them, so a Danish mail would be odd. English is optional for the
 * same reason, though the built-ins carry it for English-reading members of Swedish clubs.
 */
export const REQUIRED_OCCASION_LANGUAGES: Readonly<Record<OccasionId, readonly Language[]>> = {
  birthday: ALL_LANGUAGES,
  'membership-anniversary': ALL_LANGUAGES,
  'name-day': ['sv'],
  valentines: ALL_LANGUAGES,
  'mothers-day': ALL_LANGUAGES,
  'fathers-day': ALL_LANGUAGES,
  midsummer: ALL_LANGUAGES,
  christmas: ALL_LANGUAGES,
};

/** Copy for every occasion, each with the languages it requires. */
export const OccasionLibrary = z.record(OccasionId, OccasionCopy).superRefine((library, ctx) => {
  for (const occasion of OccasionId.options) {
    for (const language of REQUIRED_OCCASION_LANGUAGES[occasion]) {
      if (library[occasion][language] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [occasion, language],
          message: `${occasion} needs copy in "${language}"`,
        });
      }
    }
  }
});
export type OccasionLibrary = z.infer<typeof OccasionLibrary>;

/** The theme id is not in the library: a bug or a stale campaign, never something to send around. */
export class UnknownThemeError extends ClubPlannerError {
  constructor(
    readonly themeId: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown theme "${themeId}"; the library has: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownThemeError';
  }
}

/** A theme's copy in one language and address; formal falls back to informal. */
export function themeCopy(
  library: readonly Theme[],
  themeId: string,
  language: Language,
  address: Address,
): ThemeCopyBlock {
  const theme = library.find((t) => t.id === themeId);
  if (theme === undefined)
    throw new UnknownThemeError(
      themeId,
      library.map((t) => t.id),
    );
  const copy = theme.copy[language];
  return address === 'formal' ? (copy.formal ?? copy.informal) : copy.informal;
}

/**
 * An occasion's copy in one language and address (formal falls back to informal). `undefined` when
 * the occasion has no copy in that language, e.g. a name day in Danish: then there is no such mail.
 */
export function occasionCopy(
  library: OccasionLibrary,
  occasion: OccasionId,
  language: Language,
  address: Address,
): OccasionCopyBlock | undefined {
  const copy = library[occasion][language];
  if (copy === undefined) return undefined;
  return address === 'formal' ? (copy.formal ?? copy.informal) : copy.informal;
}
