import type { ApprovalState, Campaign, CampaignApproval } from './model.js';
import { fail, ok, type Result } from './result.js';

/**
 * The steps of a campaign's approval (docs/decisions/0027-marketer-roles-and-approval.md): an editor submits it,
 * an approver who did not write it approves it or sends it back with a comment. An approval covers
 * the campaign as it was approved: any edit withdraws it. Where the club requires approval, only an
 * approved campaign can be scheduled.
 */
export const NOT_SUBMITTED: CampaignApproval = { state: 'none' };

export type ApprovalRefusal =
  | { readonly why: 'conflict'; readonly message: string }
  | { readonly why: 'forbidden'; readonly message: string };

type Step = Result<{ campaign: Campaign }, ApprovalRefusal>;

export function approvalOf(campaign: Campaign): CampaignApproval {
  return campaign.approval ?? NOT_SUBMITTED;
}

/** Everyone who created, edited or submitted the campaign: none of them may approve it. */
export function authorsOf(campaign: Campaign): readonly string[] {
  return campaign.authors ?? (campaign.createdBy ? [campaign.createdBy] : []);
}

function withAuthor(campaign: Campaign, actor: string): string[] {
  const authors = authorsOf(campaign);
  return authors.includes(actor) ? [...authors] : [...authors, actor];
}

const editable = (campaign: Campaign) => campaign.status === 'draft';

export function submit(campaign: Campaign, actor: string, at: string): Step {
  const { state } = approvalOf(campaign);
  if (!editable(campaign)) return fail(conflict(`campaign is ${campaign.status}; only a draft can be submitted`));
  if (state === 'submitted' || state === 'approved') return fail(conflict(`campaign is ${state} already`));
  return ok({
    campaign: { ...campaign, authors: withAuthor(campaign, actor), approval: { state: 'submitted', by: actor, at } },
  });
}

export function approve(campaign: Campaign, actor: string, at: string, comment?: string): Step {
  const refusal = decidable(campaign, actor, 'approve');
  if (refusal) return fail(refusal);
  return ok({
    campaign: { ...campaign, approval: { state: 'approved', by: actor, at, ...(comment ? { comment } : {}) } },
  });
}

/** An approver sends a submitted (or approved, not yet scheduled) campaign back, saying why. */
export function sendBack(campaign: Campaign, actor: string, at: string, comment: string): Step {
  const refusal = decidable(campaign, actor, 'send back', ['submitted', 'approved']);
  if (refusal) return fail(refusal);
  return ok({ campaign: { ...campaign, approval: { state: 'returned', by: actor, at, comment } } });
}

function decidable(
  campaign: Campaign,
  actor: string,
  verb: string,
  from: readonly ApprovalState[] = ['submitted'],
): ApprovalRefusal | undefined {
  const { state } = approvalOf(campaign);
  if (!editable(campaign)) return conflict(`campaign is ${campaign.status}; only a draft can be decided`);
  if (!from.includes(state)) return conflict(`campaign is ${state === 'none' ? 'not submitted' : state}`);
  if (authorsOf(campaign).includes(actor)) {
    return { why: 'forbidden', message: `you wrote or edited this campaign; another approver must ${verb} it` };
  }
  return undefined;
}

/** An edit by `actor`: they become an author, and a submission or approval is withdrawn. */
export function edited(campaign: Campaign, actor: string, at: string): Campaign {
  const { state } = approvalOf(campaign);
  const withdrawn = state === 'submitted' || state === 'approved';
  return {
    ...campaign,
    authors: withAuthor(campaign, actor),
    approval: withdrawn
      ? { state: 'none', by: actor, at, comment: `${state} version withdrawn by an edit` }
      : approvalOf(campaign),
  };
}

function conflict(message: string): ApprovalRefusal {
  return { why: 'conflict', message };
}
