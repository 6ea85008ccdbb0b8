import { z } from 'zod';
import { BUILT_IN_THEMES } from '../core/built-in-themes.js';
import { Campaign, Emotion, feedbackOf, Id } from '../core/model.js';
import { fail, ok, type Result } from '../core/result.js';
import { checkTemplate, longestSubject, RENDERED_SUBJECT_MAX } from '../core/templates.js';
import type { Deps } from './deps.js';
import { type Issue, invalid, type Refusal } from './refusal.js';

/**
 * A new campaign as the marketer describes it; the club, status and times are added here. A survey
 * (`"kind": "survey", "survey": {…}`) and a note (`"kind": "note", "note": {…}`) need no offer pool
 * and no theme (the brand's primary emotion is theirs).
 */
export const CampaignInput = z.object({
  campaignId: Id.optional(),
  name: z.string().min(1).max(120),
  theme: Emotion.optional(),
  offerPool: z.array(Id).max(500).default([]),
  offersPerMail: z.number().int().min(1).max(10).optional(),
  relevanceFloor: z.number().min(0).max(1).optional(),
  themeId: Campaign.shape.themeId,
  kind: Campaign.shape.kind,
  priority: Campaign.shape.priority,
  holdoutShare: Campaign.shape.holdoutShare,
  brandFitOverride: Campaign.shape.brandFitOverride,
  occasion: Campaign.shape.occasion,
  template: Campaign.shape.template,
  audienceId: Campaign.shape.audienceId,
  survey: Campaign.shape.survey,
  note: Campaign.shape.note,
  sendAt: z.iso.datetime({ offset: true }),
});
export type CampaignInput = z.infer<typeof CampaignInput>;

/**
 * What a campaign's content must be, on creation and on each edit: its offers are the club's, its
 * theme exists, and its own template renders within the inbox's subject length. Each problem names
 * its field, and a template problem its part and line ("template.html line 2: …"). The theme's
 * emotion comes back as the campaign's `theme`.
 */
export async function checkCampaignContent(
  deps: Pick<Deps, 'clubs'>,
  clubId: string,
  input: Omit<CampaignInput, 'campaignId'>,
): Promise<{ issues: Issue[]; theme: Emotion }> {
  const [{ offers }, club] = await Promise.all([deps.clubs.getCatalog(clubId), deps.clubs.getClub(clubId)]);
  const known = new Set(offers.map((o) => o.offerId));
  const issues: Issue[] = [
    ...kindIssues(input, club ? feedbackOf(club).topics.map((t) => t.id) : []),
    ...input.offerPool.flatMap((id, i) =>
      known.has(id) ? [] : [{ path: `offerPool[${i}]`, message: `unknown offer ${id}` }],
    ),
  ];
  // A survey or a note speaks in the brand's own emotion unless the marketer chose another.
  let theme: Emotion = input.theme ?? club?.brand.primaryEmotion ?? 'community';
  if (input.themeId) {
    const chosen = [...BUILT_IN_THEMES, ...(await deps.clubs.listThemes(clubId))].find((t) => t.id === input.themeId);
    if (chosen) theme = chosen.emotion;
    else issues.push({ path: 'themeId', message: `unknown theme ${input.themeId}` });
  }
  if (input.audienceId && !(await deps.clubs.listAudiences(clubId)).some((a) => a.audienceId === input.audienceId))
    issues.push({ path: 'audienceId', message: `no saved audience ${input.audienceId}` });
  const problems = input.template ? checkTemplate(input.template) : [];
  for (const problem of problems) {
    issues.push({
      path: `template.${problem.part}${problem.line === undefined ? '' : ` line ${problem.line}`}`,
      message: problem.detail,
    });
  }
  if (input.template?.subject && problems.length === 0) {
    const library = [...BUILT_IN_THEMES, ...(await deps.clubs.listThemes(clubId))];
    const chosen = library.find((t) => t.id === (input.themeId ?? theme));
    const subjects = chosen
      ? Object.values(chosen.copy)
          .flatMap((byAddress) => [byAddress.informal, ...(byAddress.formal ? [byAddress.formal] : [])])
          .flatMap((b) => b.subjects.map((s) => s.replaceAll('{{ first_name }}', 'Maximilianne')))
      : [];
    const length = longestSubject(input.template.subject, subjects);
    if (length > RENDERED_SUBJECT_MAX) {
      issues.push({
        path: 'template.subject',
        message: `renders to up to ${length} characters; inboxes show about ${RENDERED_SUBJECT_MAX}`,
      });
    }
  }
  return { issues, theme };
}

/** What a campaign of each kind must and must not have (docs/decisions/0036-surveys-and-nps.md). */
function kindIssues(input: Omit<CampaignInput, 'campaignId'>, topics: readonly string[]): Issue[] {
  const kind = input.kind ?? 'offers';
  const issues: Issue[] = [];
  const refuse = (path: string, message: string) => issues.push({ path, message });
  if (kind === 'offers') {
    if (input.offerPool.length === 0) refuse('offerPool', 'an offers campaign needs at least one offer');
    if (input.theme === undefined) refuse('theme', 'an offers campaign needs a theme');
  } else {
    if (input.offerPool.length > 0) refuse('offerPool', `a ${kind} carries no offers`);
    if (input.template) refuse('template', `a ${kind} has its own content; templates are for offers mail`);
    if (input.occasion) refuse('occasion', `a ${kind} has no occasion`);
  }
  if (kind !== 'survey' && input.survey) refuse('survey', 'only a survey campaign has survey settings');
  if (kind !== 'note' && input.note) refuse('note', 'only a note campaign has a note');
  if (kind === 'note') {
    if (!input.note) refuse('note', 'a note campaign needs its note: topic, subject, headline and body');
    else if (!topics.includes(input.note.topic)) {
      const known = topics.length > 0 ? `the club's topics are ${topics.join(', ')}` : 'the club has declared none';
      refuse('note.topic', `unknown comment topic ${input.note.topic}; ${known} (feedback.topics)`);
    }
  }
  return issues;
}

/** Create a draft campaign, written by `actor` (a principal id): its first author, who may not approve it. */
export async function createCampaign(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'clock'>,
  clubId: string,
  input: CampaignInput,
  actor: string,
): Promise<Result<{ campaign: Campaign }, Refusal>> {
  if (!(await deps.clubs.getClub(clubId))) return fail({ why: 'not-found', message: `club ${clubId} does not exist` });
  const { issues, theme } = await checkCampaignContent(deps, clubId, input);
  if (issues.length > 0) return fail(invalid(issues));
  const now = deps.clock.now().toISOString();
  const campaign: Campaign = Campaign.parse({
    ...input,
    theme,
    clubId,
    campaignId: input.campaignId ?? `cmp-${crypto.randomUUID().slice(0, 13)}`,
    status: 'draft',
    createdAt: now,
    updatedAt: now,
    createdBy: actor,
    authors: [actor],
    approval: { state: 'none' },
  });
  const created = await deps.campaigns.createCampaign(campaign);
  if (created === 'exists') return fail({ why: 'conflict', message: `campaign ${campaign.campaignId} already exists` });
  return ok({ campaign });
}
