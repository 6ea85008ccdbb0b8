import { checkBudget } from './budget.js';
import { type DecideInput, type Decision, decide, inHoldout, lastEngaged, outsideAudience } from './decision.js';
import { checkEligibility } from './eligibility.js';
import { budgetFor, DEFAULT_ENGAGEMENT, engagementOf } from './engagement.js';
import { sendIdFor, sentTimes, surveyTimes } from './ledger.js';
import { FEWER_WEIGHT, heldBackByWeight } from './mail-controls.js';
import { nextSendableAt } from './quiet-hours.js';
import type { DecisionReason } from './reasons.js';
import { DEFAULT_FEEDBACK, DEFAULT_SURVEY, type FeedbackSettings, inSurveySample } from './survey.js';
import { assertNever, DAY_MS } from './units.js';

/** What deciding any kind of campaign may need beyond an offers campaign's input. */
export interface CampaignDecisionInput extends DecideInput {
  /** The club's feedback settings: a relationship survey's sample share. */
  readonly feedback?: FeedbackSettings;
  /** A note's members: those whose comments raised its topic (app/feedback-notes.ts). */
  readonly noteMembers?: ReadonlySet<string>;
}

/**
 * One member, one campaign of any kind: offers mail (core/decision.ts), a survey, or a "you said,
 * we did" note. Every suppression says why, as the dry-run and the report show it.
 */
export function decideCampaign(input: CampaignDecisionInput): Decision {
  const kind = input.campaign.kind;
  switch (kind) {
    case 'offers':
      return decide(input);
    case 'survey':
      return decideSurvey(input);
    case 'note':
      return decideNote(input);
    default:
      return assertNever(kind);
  }
}

const suppressed =
  (memberId: string) =>
  (reason: DecisionReason, message: string): Decision => ({ outcome: 'suppress', memberId, reason, message });

const FEWER_MESSAGE = `The member asked for fewer mails like this: only ${FEWER_WEIGHT * 100} % of them still go, and this one does not.`;

/**
 * A survey (docs/decisions/0036-surveys-and-nps.md): the member must be in its saved audience, if it
 * names one (docs/decisions/0039-audiences.md), and want surveys and be one the
 * survey asks (in the sample, or with a purchase of the right age); then the survey caps (so many a
 * year, so many days apart, none soon after a complaint or service case) and the minimum gap to any
 * other mail, judged when quiet hours end; last the holdout. The offers windows are not used.
 */
export function decideSurvey(input: CampaignDecisionInput): Decision {
  const { member, campaign, now, ledger } = input;
  const suppress = suppressed(member.memberId);
  const outside = outsideAudience(input);
  if (outside) return suppress('not-in-audience', outside);
  const eligibility = checkEligibility(member, 'surveys', now);
  if (!eligibility.eligible) return suppress(eligibility.reason, eligibility.message);
  if (heldBackByWeight(member, campaign)) return suppress('fewer-like-this', FEWER_MESSAGE);

  const spec = campaign.survey ?? DEFAULT_SURVEY;
  let about = '';
  if (spec.type === 'relationship') {
    const share = (input.feedback ?? DEFAULT_FEEDBACK).relationshipSampleShare;
    if (!inSurveySample(campaign.campaignId, member.memberId, share)) {
      return suppress('not-in-sample', `Not in this survey's random ${Math.round(share * 1000) / 10} % of members.`);
    }
  } else {
    const last = input.profile.lastPurchaseAt ? Date.parse(input.profile.lastPurchaseAt) : undefined;
    const from = spec.daysAfter;
    const to = spec.daysAfter + spec.windowDays;
    const ageDays = last === undefined ? undefined : (now.getTime() - last) / DAY_MS;
    if (ageDays === undefined || ageDays < from || ageDays >= to) {
      const seen = ageDays === undefined ? 'no purchase' : `a latest purchase ${Math.floor(ageDays)} days ago`;
      return suppress(
        'no-purchase-to-ask-about',
        `The survey asks ${from}–${to} days after a purchase, when it is the latest; the member has ${seen}.`,
      );
    }
    about = ` about the purchase of ${input.profile.lastPurchaseAt?.slice(0, 10)}`;
  }

  const at = nextSendableAt(now, member.timeZone, input.policy.quietHours);
  const budget = checkBudget(sentTimes(ledger), at, input.policy, member.preferences.frequency, {
    kind: 'survey',
    surveySentAt: surveyTimes(ledger),
    serviceCaseAt: ledger.serviceCaseAt,
  });
  if (!budget.ok) return suppress(budget.reason, budget.message);
  return sendUnlessHeldOut(input, at, `Send the survey${about}.`);
}

/**
 * A "you said, we did" note: to the members whose comments raised its topic (and in its saved audience,
 * if it names one), as club news under the
 * offers budget (windows, gap, the member's own frequency, the passive cap), after quiet hours.
 */
export function decideNote(input: CampaignDecisionInput): Decision {
  const { member, campaign, now, ledger } = input;
  const suppress = suppressed(member.memberId);
  // Both audiences first, as for every campaign: the other reasons count only the members it is for.
  if (!input.noteMembers?.has(member.memberId)) {
    return suppress('not-in-audience', `The member's comments did not raise "${campaign.note?.topic ?? '?'}".`);
  }
  const outside = outsideAudience(input);
  if (outside) return suppress('not-in-audience', outside);
  const eligibility = checkEligibility(member, 'news', now);
  if (!eligibility.eligible) return suppress(eligibility.reason, eligibility.message);
  if (heldBackByWeight(member, campaign)) return suppress('fewer-like-this', FEWER_MESSAGE);
  const sentAt = sentTimes(ledger);
  const engagementPolicy = input.engagement ?? DEFAULT_ENGAGEMENT;
  const engagement = engagementOf({ sentAt, ...lastEngaged(member, input.profile) }, engagementPolicy);
  const at = nextSendableAt(now, member.timeZone, input.policy.quietHours);
  const policy = budgetFor(input.policy, engagement, engagementPolicy);
  const budget = checkBudget(sentAt, at, policy, member.preferences.frequency, {
    kind: 'offers',
    surveySentAt: surveyTimes(ledger),
  });
  if (!budget.ok) return suppress(budget.reason, budget.message);
  return sendUnlessHeldOut(input, at, `Send the note on "${campaign.note?.topic ?? '?'}".`);
}

function sendUnlessHeldOut(input: CampaignDecisionInput, at: Date, message: string): Decision {
  const { member, campaign, now } = input;
  if (inHoldout(campaign, member.memberId)) {
    return suppressed(member.memberId)(
      'holdout',
      `In the campaign's ${Math.round(campaign.holdoutShare * 100)} % control group: not mailed.`,
    );
  }
  const deferred = at.getTime() > now.getTime();
  return {
    outcome: 'send',
    memberId: member.memberId,
    sendId: sendIdFor(campaign.clubId, campaign.campaignId, member.memberId),
    offers: [],
    message: deferred ? `${message} Waits for the end of quiet hours in ${member.timeZone}.` : message,
    ...(deferred ? { notBefore: at.toISOString() } : {}),
  };
}
