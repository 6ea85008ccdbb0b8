import { z } from 'zod';
import { Restriction } from '../core/diet.js';
import { Frequency, Language, Topic } from '../core/model.js';
import type { PreferencesPatch } from '../core/ports.js';
import { assertNever } from '../core/units.js';

/** How long a member may pause mail for, from the preference page. */
export const PauseLength = z.enum(['2w', '1m', '3m']);
export type PauseLength = z.infer<typeof PauseLength>;

const On = z
  .literal('on')
  .optional()
  .transform((value) => value === 'on');
const unique = <T>(values: T[]): T[] => [...new Set(values)];

/**
 * The preference page's posts. Every form carries an `action`; the main form sends the whole set of
 * choices (an unticked box sends nothing, so a missing list means "none").
 */
export const PreferenceForm = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('save'),
    frequency: Frequency,
    topics: z
      .array(Topic)
      .max(Topic.options.length * 2)
      .transform(unique),
    declared: z
      .array(Restriction)
      .max(Restriction.options.length * 2)
      .transform(unique),
    language: Language,
    nameDayMail: On,
    confirmation: On,
  }),
  z.object({ action: z.literal('reject-inference'), restriction: Restriction }),
  z.object({ action: z.literal('pause'), pause: PauseLength }),
  z.object({ action: z.literal('resume') }),
]);
export type PreferenceForm = z.infer<typeof PreferenceForm>;

/** Fields that may repeat in a form post (checkbox groups); every other field is taken once. */
const LIST_FIELDS = new Set(['topics', 'declared']);

/** A url-encoded form body as the plain object PreferenceForm parses. */
export function formFields(body: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(body.keys())) {
    out[name] = LIST_FIELDS.has(name) ? body.getAll(name) : (body.get(name) ?? '');
  }
  for (const name of LIST_FIELDS) out[name] ??= [];
  return out;
}

/** What was done, for the confirmation shown after the redirect. */
export const PreferenceOutcome = z.enum(['saved', 'removed', 'paused', 'resumed']);
export type PreferenceOutcome = z.infer<typeof PreferenceOutcome>;

/** The store patch a valid form post asks for, and the confirmation to show. */
export function patchFor(form: PreferenceForm, now: Date): { patch: PreferencesPatch; outcome: PreferenceOutcome } {
  switch (form.action) {
    case 'save':
      return {
        patch: {
          frequency: form.frequency,
          topics: form.topics,
          declaredRestrictions: form.declared,
          language: form.language,
          nameDayMail: form.nameDayMail,
          unsubscribeConfirmation: form.confirmation,
        },
        outcome: 'saved',
      };
    case 'reject-inference':
      return { patch: { rejectInference: form.restriction }, outcome: 'removed' };
    case 'pause':
      return { patch: { pausedUntil: pauseEnd(now, form.pause).toISOString() }, outcome: 'paused' };
    case 'resume':
      return { patch: { pausedUntil: null }, outcome: 'resumed' };
    default:
      return assertNever(form);
  }
}

/** Two weeks, or one or three calendar months (clamped to the month's last day), from now. */
export function pauseEnd(now: Date, length: PauseLength): Date {
  if (length === '2w') return new Date(now.getTime() + 14 * 86_400_000);
  const months = length === '1m' ? 1 : 3;
  const end = new Date(now.getTime());
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay));
  return end;
}
