import { z } from 'zod';
import {
  Automation,
  AutomationId,
  type AutomationStatus,
  CampaignBlueprint,
  isPersonalBlueprint,
  nextRunOf,
  Recurrence,
} from '../core/automation.js';
import { brandFit } from '../core/brand-fit.js';
import { clubTimeZone } from '../core/local-time.js';
import { Campaign, Emotion, Id } from '../core/model.js';
import { ClockTime, TimeZone } from '../core/quiet-hours.js';
import { fail, ok, type Result } from '../core/result.js';
import { CampaignInput, checkCampaignContent } from './create-campaign.js';
import type { Deps } from './deps.js';
import { invalid, type Refusal } from './refusal.js';
import { senderNotReady } from './sender-check.js';

/** What each run's campaign is: a campaign's content, without a send time (the recurrence gives it). */
const BlueprintInput = z
  .object({
    theme: Emotion.optional(),
    themeId: Campaign.shape.themeId,
    offerPool: z.array(Id).min(1).max(500),
    offersPerMail: z.number().int().min(1).max(10).optional(),
    relevanceFloor: z.number().min(0).max(1).optional(),
    priority: Campaign.shape.priority,
    holdoutShare: Campaign.shape.holdoutShare,
    brandFitOverride: Campaign.shape.brandFitOverride,
    occasion: Campaign.shape.occasion,
    template: Campaign.shape.template,
  })
  .strict();

/**
 * A new automation as the marketer describes it: a name, a recurrence in the club's time zone (or
 * `timeZone`), the campaign each run sends, and for a personal occasion the time each member gets it
 * on their day in their own time zone (`memberTime`, default 08:00).
 */
export const AutomationInput = z
  .object({
    automationId: AutomationId.optional(),
    name: z.string().min(1).max(120),
    recurrence: Recurrence,
    timeZone: TimeZone.optional(),
    memberTime: ClockTime.optional(),
    campaign: BlueprintInput,
  })
  .strict();
export type AutomationInput = z.infer<typeof AutomationInput>;

/** An automation as the API lists it: with its next run, if one is armed. */
export type AutomationView = Automation & { readonly nextRunAt: string | null };

export function viewOf(automation: Automation, now: Date): AutomationView {
  return { ...automation, nextRunAt: nextRunOf(automation, now)?.toISOString() ?? null };
}

type AutomationDeps = Pick<
  Deps,
  'clubs' | 'automations' | 'recurring' | 'clock' | 'sendingDomains' | 'identities' | 'campaigns'
>;
type Outcome = Result<{ automation: Automation; before?: Automation }, Refusal>;

/**
 * Create an automation, written by `actor`. Its campaign is checked as a campaign's is (offers,
 * theme, template, brand fit); a personal occasion recurs every day. Where the club requires approval
 * it waits for an approver; otherwise it is armed at once (once the club's sender is ready).
 */
export async function createAutomation(
  deps: AutomationDeps,
  clubId: string,
  input: AutomationInput,
  actor: string,
): Promise<Outcome> {
  const club = await deps.clubs.getClub(clubId);
  if (!club) return fail({ why: 'not-found', message: `club ${clubId} does not exist` });
  const now = deps.clock.now();
  const asCampaign = CampaignInput.parse({ ...input.campaign, name: input.name, sendAt: now.toISOString() });
  const { issues, theme } = await checkCampaignContent(deps, clubId, asCampaign);
  const prefixed = issues.map((issue) => ({ ...issue, path: `campaign.${issue.path}` }));
  if (input.memberTime && !isPersonalBlueprint(input.campaign)) {
    prefixed.push({
      path: 'memberTime',
      message: 'only a personal occasion (birthday, anniversary, name day) has one',
    });
  }
  if (isPersonalBlueprint(input.campaign) && input.recurrence.every !== 'day') {
    prefixed.push({ path: 'recurrence.every', message: 'a personal occasion runs every day: use "day"' });
  }
  if (prefixed.length > 0) return fail(invalid(prefixed));
  const blueprint = CampaignBlueprint.parse({ ...asCampaign, theme });
  const fit = brandFit(club.brand, theme);
  if (fit.verdict === 'clash' && !blueprint.brandFitOverride) {
    return fail({ why: 'brand-fit-clash', message: `campaign.theme: ${fit.message}` });
  }
  const automationId = input.automationId ?? `aut-${crypto.randomUUID().slice(0, 13)}`;
  if (await deps.automations.get(clubId, automationId)) {
    return fail({ why: 'conflict', message: `automation ${automationId} already exists` });
  }
  const at = now.toISOString();
  const automation = Automation.parse({
    clubId,
    automationId,
    name: input.name,
    recurrence: input.recurrence,
    timeZone: input.timeZone ?? clubTimeZone(club),
    ...(input.memberTime ? { memberTime: input.memberTime } : {}),
    campaign: blueprint,
    status: club.requireApproval ? 'awaiting-approval' : 'active',
    since: at,
    createdAt: at,
    updatedAt: at,
    createdBy: actor,
  });
  if (automation.status === 'active') {
    const sender = await senderNotReady(deps, club);
    if (sender) return fail({ why: 'sender-not-ready', message: sender });
    await deps.recurring.arm(automation);
  }
  if ((await deps.automations.create(automation)) === 'exists') {
    return fail({ why: 'conflict', message: `automation ${automationId} already exists` });
  }
  return ok({ automation });
}

type Step = 'approve' | 'pause' | 'resume' | 'stop';

const FROM: Readonly<Record<Step, readonly AutomationStatus[]>> = {
  approve: ['awaiting-approval'],
  pause: ['active'],
  resume: ['paused'],
  stop: ['awaiting-approval', 'active', 'paused'],
};

const TO: Readonly<Record<Step, AutomationStatus>> = {
  approve: 'active',
  pause: 'paused',
  resume: 'active',
  stop: 'stopped',
};

/**
 * Move an automation a step: approve (an approver who did not create it), pause, resume, stop (for
 * good). Becoming active arms its schedule before the status moves, and counts occurrences only from
 * now: a run missed while it was paused never comes. Leaving active writes the status first, so a run
 * that fires meanwhile finds it not active; then the schedule goes.
 */
export async function stepAutomation(
  deps: AutomationDeps,
  clubId: string,
  automationId: string,
  step: Step,
  actor: string,
): Promise<Outcome> {
  const [club, current] = await Promise.all([deps.clubs.getClub(clubId), deps.automations.get(clubId, automationId)]);
  if (!club || !current) return fail({ why: 'not-found', message: `automation ${automationId} does not exist` });
  if (!FROM[step].includes(current.status)) {
    return fail({ why: 'conflict', message: `automation is ${current.status}; it cannot ${step}` });
  }
  if (step === 'approve' && current.createdBy === actor) {
    return fail({ why: 'forbidden', message: 'you created this automation; another approver must approve it' });
  }
  const now = deps.clock.now().toISOString();
  const next: Automation = {
    ...current,
    status: TO[step],
    updatedAt: now === current.updatedAt ? new Date(Date.parse(now) + 1).toISOString() : now,
    ...(TO[step] === 'active' ? { since: now } : {}),
    ...(step === 'approve' ? { approvedBy: actor } : {}),
  };
  if (next.status === 'active') {
    const sender = await senderNotReady(deps, club);
    if (sender) return fail({ why: 'sender-not-ready', message: sender });
    await deps.recurring.arm(next);
  }
  if ((await deps.automations.replace(next, current.updatedAt)) === 'changed') {
    return fail({ why: 'conflict', message: 'automation changed meanwhile; read it again' });
  }
  if (next.status !== 'active') await deps.recurring.disarm(clubId, automationId);
  return ok({ automation: next, before: current });
}

/** An automation with its next run and its runs (campaigns, newest first), each with its own report. */
export async function automationDetail(
  deps: Pick<Deps, 'automations' | 'campaigns' | 'clock'>,
  clubId: string,
  automationId: string,
): Promise<
  | {
      automation: AutomationView;
      runs: Array<{ campaignId: string; occurrence: string; status: string; report: string }>;
    }
  | undefined
> {
  const automation = await deps.automations.get(clubId, automationId);
  if (!automation) return undefined;
  const runs = (await deps.campaigns.listCampaigns(clubId))
    .flatMap((c) => (c.automation?.automationId === automationId ? [{ c, occurrence: c.automation.occurrence }] : []))
    .sort((a, b) => (a.occurrence < b.occurrence ? 1 : -1))
    .map(({ c, occurrence }) => ({
      campaignId: c.campaignId,
      occurrence,
      status: c.status,
      report: `/api/clubs/${clubId}/campaigns/${c.campaignId}`,
    }));
  return { automation: viewOf(automation, deps.clock.now()), runs };
}
