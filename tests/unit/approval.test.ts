import { describe, expect, it } from 'vitest';
import { approve, edited, sendBack, submit } from '../../lambdas/core/approval.js';
import { Campaign } from '../../lambdas/core/model.js';

const AT = '2026-03-01T09:00:00.000Z';
const draft = Campaign.parse({
  clubId: 'club-1',
  campaignId: 'c1',
  name: 'Weekend',
  theme: 'community',
  offerPool: ['o1'],
  sendAt: '2030-01-01T09:00:00Z',
  status: 'draft',
  createdAt: AT,
  updatedAt: AT,
  createdBy: 'user:editor',
  authors: ['user:editor'],
  approval: { state: 'none' },
});

function submitted(): Campaign {
  const step = submit(draft, 'user:editor', AT);
  if (!step.ok) throw new Error(step.message);
  return step.campaign;
}

describe('campaign approval', () => {
  it('lets an approver who did not write it approve a submitted campaign', () => {
    const step = approve(submitted(), 'user:approver', AT, 'fine');
    expect(step.ok && step.campaign.approval).toEqual({
      state: 'approved',
      by: 'user:approver',
      at: AT,
      comment: 'fine',
    });
  });

  it('refuses the author, or anyone who edited it, as its approver', () => {
    expect(approve(submitted(), 'user:editor', AT)).toMatchObject({ ok: false, why: 'forbidden' });
    const editedByOther = edited(submitted(), 'user:approver', AT);
    const resubmitted = submit(editedByOther, 'user:editor', AT);
    if (!resubmitted.ok) throw new Error(resubmitted.message);
    expect(approve(resubmitted.campaign, 'user:approver', AT)).toMatchObject({ ok: false, why: 'forbidden' });
    expect(approve(resubmitted.campaign, 'user:third', AT).ok).toBe(true);
  });

  it('approves only a submitted draft', () => {
    expect(approve(draft, 'user:approver', AT)).toMatchObject({ ok: false, why: 'conflict' });
    expect(approve({ ...submitted(), status: 'scheduled' }, 'user:approver', AT)).toMatchObject({
      ok: false,
      why: 'conflict',
    });
  });

  it('sends a campaign back with the comment, and it can be submitted again', () => {
    const back = sendBack(submitted(), 'user:approver', AT, 'Wrong offers');
    if (!back.ok) throw new Error(back.message);
    expect(back.campaign.approval).toMatchObject({ state: 'returned', comment: 'Wrong offers' });
    expect(submit(back.campaign, 'user:editor', AT).ok).toBe(true);
  });

  it('withdraws a submission or an approval on any edit, and makes the editor an author', () => {
    const approved = approve(submitted(), 'user:approver', AT);
    if (!approved.ok) throw new Error(approved.message);
    const after = edited(approved.campaign, 'user:other-editor', AT);
    expect(after.approval?.state).toBe('none');
    expect(after.authors).toEqual(['user:editor', 'user:other-editor']);
  });

  it('does not submit twice', () => {
    expect(submit(submitted(), 'user:editor', AT)).toMatchObject({ ok: false, why: 'conflict' });
  });
});
