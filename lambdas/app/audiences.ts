import { z } from 'zod';
import { AudienceDescription, AudienceName, type SavedAudience } from '../core/audience.js';
import { type AudienceRule, AudienceRuleInput, ruleIssues, rulePath } from '../core/audience-rules.js';
import { fail, ok, type Result } from '../core/result.js';
import type { Deps } from './deps.js';
import { invalid, type Refusal } from './refusal.js';

/** A saved audience as the marketer sends it (`PUT …/audiences/:audienceId`). */
export const AudienceInput = z.strictObject({
  name: AudienceName,
  description: AudienceDescription.optional(),
  rule: AudienceRuleInput,
});
export type AudienceInput = z.infer<typeof AudienceInput>;

/** Campaigns in these states still plan from their audience: it may not be deleted under them. */
const LIVE = new Set(['draft', 'scheduled', 'planning']);

/**
 * Save (create or replace) a club's audience after checking its rule against the club: declared
 * attributes, comparisons that fit their types, saved audiences that exist without a cycle, campaigns
 * that exist. Each problem names its place in the rule: `rule.of[1].name: …`.
 */
export async function saveAudience(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'clock'>,
  clubId: string,
  audienceId: string,
  input: AudienceInput,
  actor: string,
): Promise<Result<{ audience: SavedAudience; created: boolean }, Refusal>> {
  const club = await deps.clubs.getClub(clubId);
  if (!club) return fail({ why: 'not-found', message: `club ${clubId} does not exist` });
  const [saved, campaigns] = await Promise.all([
    deps.clubs.listAudiences(clubId),
    deps.campaigns.listCampaigns(clubId),
  ]);
  const issues = ruleIssues(
    input.rule,
    {
      attributes: club.attributes ?? [],
      audiences: new Map(saved.filter((a) => a.audienceId !== audienceId).map((a) => [a.audienceId, a.rule])),
      campaignIds: new Set(campaigns.map((c) => c.campaignId)),
    },
    audienceId,
  );
  if (issues.length > 0)
    return fail(invalid(issues.map((issue) => ({ path: rulePath(issue), message: issue.message }))));
  const before = saved.find((a) => a.audienceId === audienceId);
  const now = deps.clock.now().toISOString();
  const audience: SavedAudience = {
    clubId,
    audienceId,
    name: input.name,
    description: input.description ?? '',
    rule: input.rule,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
    updatedBy: actor,
  };
  await deps.clubs.putAudience(audience);
  return ok({ audience, created: !before });
}

/** Who still uses an audience: other audiences that include it, campaigns that may still plan with it. */
export async function usersOf(
  deps: Pick<Deps, 'clubs' | 'campaigns'>,
  clubId: string,
  audienceId: string,
): Promise<{ audiences: string[]; campaigns: string[] }> {
  const [saved, campaigns] = await Promise.all([
    deps.clubs.listAudiences(clubId),
    deps.campaigns.listCampaigns(clubId),
  ]);
  const includes = (rule: AudienceRule): boolean =>
    rule.rule === 'audience'
      ? rule.audienceId === audienceId
      : rule.rule === 'all' || rule.rule === 'any'
        ? rule.of.some(includes)
        : rule.rule === 'not'
          ? includes(rule.of)
          : false;
  return {
    audiences: saved.filter((a) => a.audienceId !== audienceId && includes(a.rule)).map((a) => a.audienceId),
    campaigns: campaigns.filter((c) => c.audienceId === audienceId && LIVE.has(c.status)).map((c) => c.campaignId),
  };
}

/** Delete an audience nothing uses any more; 409 naming what still does. */
export async function deleteAudience(
  deps: Pick<Deps, 'clubs' | 'campaigns'>,
  clubId: string,
  audienceId: string,
): Promise<Result<{ audience: SavedAudience }, Refusal>> {
  const audience = (await deps.clubs.listAudiences(clubId)).find((a) => a.audienceId === audienceId);
  if (!audience) return fail({ why: 'not-found', message: `audience ${audienceId} does not exist` });
  const users = await usersOf(deps, clubId, audienceId);
  if (users.audiences.length > 0 || users.campaigns.length > 0) {
    const named = [
      ...users.audiences.map((id) => `audience ${id}`),
      ...users.campaigns.map((id) => `campaign ${id}`),
    ].join(', ');
    return fail({ why: 'conflict', message: `audience ${audienceId} is still used by ${named}` });
  }
  await deps.clubs.deleteAudience(clubId, audienceId);
  return ok({ audience });
}
