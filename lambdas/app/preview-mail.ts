import type { Decision } from '../core/decision.js';
import { type MailOffer, type RenderedMail, renderMail } from '../core/mail.js';
import { yearsAsMember } from '../core/occasions.js';
import type { MemberState } from '../core/ports.js';
import type { CampaignContext } from './campaign-context.js';
import type { Deps } from './deps.js';
import { dryRunDecider } from './dry-run.js';

export interface MailPreview {
  readonly state: MemberState;
  /** What the plan will decide for the member at the send time (the dry-run's decision). */
  readonly decision: Decision;
  /** The mail as it would be sent, when the member would get it. */
  readonly mail?: RenderedMail;
}

/**
 * One member's mail as it would be sent (docs/decisions/0034): the dry-run's decision at the
 * campaign's send time, and for a send, the very renderer the send worker uses with the offers the
 * planner chose. Its links lead nowhere: a preview must not hand anyone a member's signed links.
 */
export async function previewMail(
  deps: Pick<Deps, 'members' | 'clubs' | 'clock' | 'publicBaseUrl'>,
  context: CampaignContext,
  memberId: string,
): Promise<MailPreview | undefined> {
  const state = await deps.members.getState(context.club.clubId, memberId);
  if (!state) return undefined;
  const now = deps.clock.now();
  const decision = dryRunDecider(context, now)(state);
  if (decision.outcome !== 'send') return { state, decision };
  const byOffer = new Map(context.candidates.map((c) => [c.offer.offerId, c]));
  const offers: MailOffer[] = decision.offers.flatMap((pick) => {
    const found = byOffer.get(pick.offerId);
    return found ? [{ ...found, why: pick.why, diet: pick.diet }] : [];
  });
  const { club, campaign } = context;
  const sendsAt = decision.notBefore
    ? new Date(decision.notBefore)
    : new Date(Math.max(now.getTime(), Date.parse(campaign.sendAt)));
  const themes = campaign.themeId ? await deps.clubs.listThemes(club.clubId) : [];
  const mail = renderMail({
    club,
    member: state.member,
    theme: campaign.theme,
    offers,
    links: { unsubscribe: `${deps.publicBaseUrl}/u/preview`, preferences: `${deps.publicBaseUrl}/p/preview` },
    ...(campaign.occasion
      ? {
          occasion: {
            id: campaign.occasion.id,
            ...(campaign.occasion.funFact ? { funFact: campaign.occasion.funFact } : {}),
            yearsAsMember: yearsAsMember(state.member.joinedAt.slice(0, 10), sendsAt.toISOString().slice(0, 10)),
          },
        }
      : {}),
    ...(campaign.template ? { template: campaign.template } : {}),
    variantKey: decision.sendId,
    ...(campaign.themeId ? { themeId: campaign.themeId, themes } : {}),
  });
  return { state, decision, mail };
}
