import { createHash } from 'node:crypto';
import { ClubInput } from '../../../app/club-settings.js';
import type { Issue } from '../../../app/refusal.js';
import type { BudgetPolicy } from '../../../core/budget.js';
import { contrastRatio, textOn } from '../../../core/contrast.js';
import type { EngagementPolicy } from '../../../core/engagement.js';
import { clubTimeZone } from '../../../core/local-time.js';
import type { Club } from '../../../core/model.js';
import { formatPath } from '../../api-error.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';

/** The settings form as the browser posts it: every field a string, kept as typed. */
export interface SettingsForm {
  readonly fields: Readonly<Record<string, string>>;
  readonly secondaryEmotions: readonly string[];
}

export const WINDOW_ROWS = 3;

/** The form filled from the club. */
export function settingsFormOf(club: Club): SettingsForm {
  const windows = Object.fromEntries(
    Array.from({ length: WINDOW_ROWS }, (_, i) => {
      const w = club.budget.windows[i];
      return [
        [`windowMax${i}`, w ? String(w.max) : ''],
        [`windowDays${i}`, w ? String(w.days) : ''],
      ];
    }).flat(),
  );
  const passive = club.engagement.passiveWindows[0];
  const fields: Record<string, string> = {
    primaryEmotion: club.brand.primaryEmotion,
    address: club.brand.address,
    primary: club.brand.colours.primary,
    background: club.brand.colours.background,
    text: club.brand.colours.text,
    logoUrl: club.brand.logoUrl ?? '',
    senderName: club.senderName,
    senderEmail: club.senderEmail,
    timeZone: clubTimeZone(club),
    ...windows,
    minGapHours: String(club.budget.minGapHours),
    quietStart: club.budget.quietHours.start,
    quietEnd: club.budget.quietHours.end,
    surveysPerYear: String(club.budget.surveysPerYear),
    planningHorizonDays: String(club.budget.planningHorizonDays),
    passiveAfter: String(club.engagement.passiveAfterUnengagedMails),
    passiveMax: passive ? String(passive.max) : '',
    passiveDays: passive ? String(passive.days) : '',
    passiveFloorBoost: String(club.engagement.passiveFloorBoost),
    habitFloor: club.engagement.habitRelevanceFloor === null ? '' : String(club.engagement.habitRelevanceFloor),
    requireApproval: club.requireApproval ? 'on' : '',
  };
  return { fields, secondaryEmotions: club.brand.secondaryEmotions };
}

/** The form's fields from a posted body. */
export function readSettingsForm(body: URLSearchParams, club: Club): SettingsForm {
  const keys = Object.keys(settingsFormOf(club).fields);
  return {
    fields: Object.fromEntries(keys.map((k) => [k, body.get(k)?.trim() ?? ''])),
    secondaryEmotions: body.getAll('secondaryEmotions'),
  };
}

const numberOr = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

/** The club as the form would make it (the fields the form does not show stay), or the form's problems. */
export function clubFromForm(settings: SettingsForm, club: Club): { input: ClubInput } | { issues: Issue[] } {
  const form = settings.fields;
  const windows = Array.from({ length: WINDOW_ROWS }, (_, i) => ({
    max: form[`windowMax${i}`],
    days: form[`windowDays${i}`],
  }))
    .filter((w) => w.max || w.days)
    .map((w) => ({ max: numberOr(w.max), days: numberOr(w.days) }));
  const { clubId: _id, createdAt: _created, ...kept } = club;
  const habit = form.habitFloor;
  const parsed = ClubInput.safeParse({
    ...kept,
    senderName: form.senderName,
    senderEmail: form.senderEmail,
    timeZone: form.timeZone,
    requireApproval: form.requireApproval === 'on',
    brand: {
      primaryEmotion: form.primaryEmotion,
      secondaryEmotions: settings.secondaryEmotions,
      address: form.address,
      colours: { primary: form.primary, background: form.background, text: form.text },
      ...(form.logoUrl ? { logoUrl: form.logoUrl } : {}),
    },
    budget: {
      windows,
      minGapHours: numberOr(form.minGapHours),
      quietHours: { start: form.quietStart, end: form.quietEnd },
      surveysPerYear: numberOr(form.surveysPerYear),
      planningHorizonDays: numberOr(form.planningHorizonDays),
    },
    engagement: {
      passiveAfterUnengagedMails: numberOr(form.passiveAfter),
      passiveWindows:
        form.passiveMax || form.passiveDays
          ? [{ max: numberOr(form.passiveMax), days: numberOr(form.passiveDays) }]
          : [],
      passiveFloorBoost: numberOr(form.passiveFloorBoost),
      habitRelevanceFloor: habit === '' || habit === undefined ? null : Number(habit),
    },
  });
  if (parsed.success) return { input: parsed.data };
  return { issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
}

/** A fingerprint of the settings a preview showed: saving needs the same settings that were previewed. */
export function fingerprint(input: ClubInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('base64url').slice(0, 22);
}

/** The budget as one plain sentence: "At most 3 mails a week and 12 a month; …". */
export function budgetSentence(copy: ConsoleCopy, fmt: Formats, budget: BudgetPolicy): string {
  const s = copy.settings;
  const windows = budget.windows.map(
    (w) => `${s.mails(fmt.number(w.max), w.max === 1)} ${s.per(w.days, fmt.number(w.days))}`,
  );
  const quiet =
    budget.quietHours.start === budget.quietHours.end
      ? undefined
      : { from: budget.quietHours.start, to: budget.quietHours.end };
  return s.budgetSentence({
    windows,
    ...(budget.minGapHours > 0 ? { gap: fmt.number(budget.minGapHours) } : {}),
    ...(quiet ? { quiet } : {}),
    surveys: fmt.number(budget.surveysPerYear),
  });
}

/** The engagement rules as one plain sentence. */
export function engagementSentence(copy: ConsoleCopy, fmt: Formats, engagement: EngagementPolicy): string {
  const s = copy.settings;
  const decimals = (n: number) => new Intl.NumberFormat(copy.locale, { maximumFractionDigits: 2 }).format(n);
  return s.engagementSentence({
    after: fmt.number(engagement.passiveAfterUnengagedMails),
    windows: engagement.passiveWindows.map(
      (w) => `${s.mails(fmt.number(w.max), w.max === 1)} ${s.per(w.days, fmt.number(w.days))}`,
    ),
    boost: decimals(engagement.passiveFloorBoost),
    ...(engagement.habitRelevanceFloor === null ? {} : { habit: decimals(engagement.habitRelevanceFloor) }),
  });
}

export interface ContrastCheck {
  readonly pair: 'text' | 'accent' | 'button';
  readonly ratio: number;
  readonly passes: boolean;
}

/** The brand colours' contrast (WCAG 2.1, AA needs 4.5:1): text and brand colour on the background, button text on the brand colour. */
export function contrastChecks(colours: { primary: string; background: string; text: string }): ContrastCheck[] {
  const check = (pair: ContrastCheck['pair'], a: string, b: string) => {
    const ratio = contrastRatio(a, b);
    return { pair, ratio, passes: ratio >= 4.5 };
  };
  return [
    check('text', colours.text, colours.background),
    check('accent', colours.primary, colours.background),
    check('button', textOn(colours.primary), colours.primary),
  ];
}

export { formatPath };
