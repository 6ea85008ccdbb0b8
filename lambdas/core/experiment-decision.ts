import { type CampaignDecisionInput, decideCampaign } from './campaign-decision.js';
import type { Decision } from './decision.js';
import { DEFAULT_ENGAGEMENT } from './engagement.js';
import { type ArmRules, armRules, type MemberArm, reachesControl } from './experiment.js';

/** Why a control-arm member gets no campaign mail, as the dry-run shows it in each language. */
export function controlReason(arm: Pick<MemberArm, 'experimentId' | 'armId'>): { sv: string; da: string; en: string } {
  const { experimentId, armId } = arm;
  return {
    sv: `I klubbens kontrollgrupp (experimentet ${experimentId}, grupp ${armId}): får inga kampanjutskick, bara enkäter och servicemejl, så att effekten av utskicken kan mätas.`,
    da: `I klubbens kontrolgruppe (eksperimentet ${experimentId}, gruppe ${armId}): får ingen kampagnemails, kun undersøgelser og servicemails, så virkningen af udsendelserne kan måles.`,
    en: `In the club's control group (experiment ${experimentId}, arm ${armId}): gets no campaign mail, only surveys and service mail, so the effect of the mail can be measured.`,
  };
}

/**
 * One member, one campaign, under the member's experiment arm. Every arm that mails is decided
 * exactly as without an experiment, only under its own budget and engagement rules. The control arm
 * gets no campaign mail (surveys still go, core/experiment.ts `reachesControl`): it is decided under
 * the club's rules, and a member who would then be mailed is held, like a campaign holdout, so every
 * other reason (unsubscribed, paused, the budget) still shows as itself. Without an arm, the club's.
 */
export function decideInArm(input: CampaignDecisionInput, arm: MemberArm | undefined): Decision {
  if (!arm) return decideCampaign(input);
  const rules = armRules(arm.policy, { budget: input.policy, engagement: input.engagement ?? DEFAULT_ENGAGEMENT });
  if (rules) return decideCampaign({ ...input, policy: rules.budget, engagement: rules.engagement });
  const decision = decideCampaign(input);
  if (decision.outcome !== 'send' || reachesControl(input.campaign.kind)) return decision;
  const localized = controlReason(arm);
  return {
    outcome: 'suppress',
    memberId: input.member.memberId,
    reason: 'experiment-control',
    message: localized.en,
    localized,
  };
}

/** The rules a member's mail is claimed under at send time: the arm's, or none (the club's) without one. */
export function claimRulesOf(arm: MemberArm | undefined, club: ArmRules): ArmRules | undefined {
  if (!arm || arm.policy.type === 'club-budget') return undefined;
  return armRules(arm.policy, club);
}

/** The decision as the plan records it: the reason's translations are for the dry-run, not for every stored decision. */
export function recordedForm(decision: Decision): Decision {
  if (decision.outcome !== 'suppress' || !decision.localized) return decision;
  const { localized: _shown, ...stored } = decision;
  return stored;
}
