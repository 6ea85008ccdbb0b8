import type { z } from 'zod';
import { BUILT_IN_THEMES } from './built-in-themes.js';
import { fail, ok, type Result } from './result.js';
import { Theme } from './theme-library.js';

/* Marketers' own themes: a Theme whose id is not a built-in one, checked as it arrives through the API. */

export interface ThemeIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export type CustomThemeResult = Result<{ theme: Theme }, { issues: readonly ThemeIssue[] }>;

/** Compared case-insensitively: "Community" beside "community" would only confuse marketers. */
function idCollision(id: string, builtIns: readonly Theme[]): string | undefined {
  const clash = builtIns.find((t) => t.id.toLowerCase() === id.toLowerCase());
  return clash === undefined ? undefined : `"${id}" is the id of the built-in theme "${clash.id}"; choose another id`;
}

/** A marketer's own theme, as the API accepts it: a Theme whose id is not a built-in one. */
export const ThemeInput = Theme.superRefine((theme, ctx) => {
  const message = idCollision(theme.id, BUILT_IN_THEMES);
  if (message !== undefined) ctx.addIssue({ code: 'custom', path: ['id'], message });
});
export type ThemeInput = z.infer<typeof ThemeInput>;

/** Parse a marketer's theme and check its id against `builtIns`; problems come back as data, with paths. */
export function validateCustomTheme(input: unknown, builtIns: readonly Theme[] = BUILT_IN_THEMES): CustomThemeResult {
  const parsed = Theme.safeParse(input);
  if (!parsed.success) {
    return fail({
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
        message: issue.message,
      })),
    });
  }
  const message = idCollision(parsed.data.id, builtIns);
  if (message !== undefined) return fail({ issues: [{ path: ['id'], message }] });
  return ok({ theme: parsed.data });
}
