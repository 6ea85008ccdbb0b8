import { z } from 'zod';
import { CampaignInput } from '../../../app/create-campaign.js';
import type { Issue } from '../../../app/refusal.js';
import { fromLocalDateTime, toLocalDateTime } from '../../../core/local-time.js';
import type { Campaign } from '../../../core/model.js';
import { formatPath } from '../../api-error.js';
import {
  emptyKindForm,
  type KindForm,
  kindFieldOf,
  kindFormOf,
  kindInputOf,
  readKindForm,
} from './campaign-kind-form.js';

/**
 * The campaign editor's form as the browser posts it, and back: strings as typed, so a form with a
 * mistake comes back exactly as it was sent, with each problem at its field.
 */
export interface CampaignForm extends KindForm {
  readonly name: string;
  readonly theme: string;
  readonly occasion: string;
  readonly funFact: string;
  readonly offerPool: readonly string[];
  readonly offersPerMail: string;
  readonly priority: string;
  readonly holdout: string;
  readonly kind: string;
  /** `YYYY-MM-DDTHH:mm` in the club's zone. */
  readonly sendAt: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly brandFitOverride: boolean;
  /** A saved audience's id, or '' for everyone. */
  readonly audienceId: string;
  /** What the search box of the offer pool holds. */
  readonly offerQuery: string;
}

const text = (body: URLSearchParams, name: string) => body.get(name)?.trim() ?? '';

/** The form's fields from a posted body (urlencoded or multipart, made into URLSearchParams). */
export function readCampaignForm(body: URLSearchParams): CampaignForm {
  return {
    name: text(body, 'name'),
    theme: text(body, 'theme'),
    occasion: text(body, 'occasion'),
    funFact: text(body, 'funFact'),
    offerPool: [
      ...new Set(
        body
          .getAll('offerPool')
          .map((id) => id.trim())
          .filter((id) => id.length > 0),
      ),
    ],
    offersPerMail: text(body, 'offersPerMail'),
    priority: text(body, 'priority'),
    holdout: text(body, 'holdout'),
    kind: text(body, 'kind'),
    sendAt: text(body, 'sendAt'),
    // Templates keep their own whitespace: a Liquid line number must match what the marketer typed.
    subject: body.get('subject') ?? '',
    html: body.get('html') ?? '',
    text: body.get('text') ?? '',
    brandFitOverride: body.get('brandFitOverride') === 'on',
    audienceId: text(body, 'audienceId'),
    offerQuery: text(body, 'offerQuery'),
    ...readKindForm(body),
  };
}

/** The form filled from a stored campaign, its send time in the club's zone. */
export function formOf(campaign: Campaign, timeZone: string): CampaignForm {
  return {
    name: campaign.name,
    theme: campaign.theme,
    occasion: campaign.occasion?.id ?? '',
    funFact: campaign.occasion?.funFact ?? '',
    offerPool: campaign.offerPool,
    offersPerMail: String(campaign.offersPerMail),
    priority: String(campaign.priority),
    holdout: String(Math.round(campaign.holdoutShare * 1000) / 10),
    kind: campaign.kind,
    sendAt: toLocalDateTime(campaign.sendAt, timeZone),
    subject: campaign.template?.subject ?? '',
    html: campaign.template?.html ?? '',
    text: campaign.template?.text ?? '',
    brandFitOverride: campaign.brandFitOverride,
    audienceId: campaign.audienceId ?? '',
    offerQuery: '',
    ...kindFormOf(campaign),
  };
}

/** A new campaign's form: tomorrow at nine in the club's zone, three offers a mail, no control group. */
export function emptyForm(now: Date, timeZone: string): CampaignForm {
  const tomorrow = toLocalDateTime(new Date(now.getTime() + 86_400_000), timeZone).slice(0, 10);
  return {
    name: '',
    theme: 'community',
    occasion: '',
    funFact: '',
    offerPool: [],
    offersPerMail: '3',
    priority: '1',
    holdout: '0',
    kind: 'offers',
    sendAt: `${tomorrow}T09:00`,
    subject: '',
    html: '',
    text: '',
    brandFitOverride: false,
    audienceId: '',
    offerQuery: '',
    ...emptyKindForm(),
  };
}

const optionalNumber = (value: string) => (value === '' ? undefined : Number(value));

/**
 * The form as the use cases' input (app/create-campaign.ts `CampaignInput`), or the problems found,
 * each at the field the form shows: `sendAt` when the local time does not parse, the schema's own
 * paths otherwise (`template.html line 2` comes later, from the use case).
 */
export function campaignInputOf(
  form: CampaignForm,
  timeZone: string,
  /** The club question of the survey being edited, which the form does not show: kept. */
  keepQuestion?: NonNullable<Campaign['survey']>['question'],
): z.ZodSafeParseResult<CampaignInput> | Issue[] {
  const sendAt = fromLocalDateTime(form.sendAt, timeZone);
  if (!sendAt) return [{ path: 'sendAt', message: 'use a date and time such as 2026-06-19T09:00' }];
  const template = Object.fromEntries(
    (['subject', 'html', 'text'] as const).flatMap((part) => (form[part].trim() === '' ? [] : [[part, form[part]]])),
  );
  const holdout = optionalNumber(form.holdout);
  return CampaignInput.safeParse({
    name: form.name,
    theme: form.theme,
    offerPool: form.offerPool,
    offersPerMail: optionalNumber(form.offersPerMail),
    priority: optionalNumber(form.priority),
    holdoutShare: holdout === undefined ? undefined : holdout / 100,
    kind: form.kind || undefined,
    ...kindInputOf(form.kind || 'offers', form, keepQuestion),
    brandFitOverride: form.brandFitOverride,
    ...(form.audienceId ? { audienceId: form.audienceId } : {}),
    ...(form.occasion ? { occasion: { id: form.occasion, ...(form.funFact ? { funFact: form.funFact } : {}) } } : {}),
    ...(Object.keys(template).length > 0 ? { template } : {}),
    sendAt: sendAt.toISOString(),
  });
}

/** zod's issues as the form names them (`holdoutShare` is the holdout field, `offerPool[2]` the pool). */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Which form field an issue path belongs to. */
export function fieldOf(path: string): string {
  const kindField = kindFieldOf(path);
  if (kindField) return kindField;
  if (path.startsWith('offerPool')) return 'offerPool';
  if (path.startsWith('holdoutShare')) return 'holdout';
  if (path.startsWith('occasion.funFact')) return 'funFact';
  if (path.startsWith('occasion')) return 'occasion';
  const template = /^template\.(subject|html|text)/.exec(path);
  if (template?.[1]) return template[1];
  return path.split(/[.[ ]/)[0] ?? path;
}

export const EditorAction = z.enum(['save', 'search-offers', 'check-template']).catch('save');
