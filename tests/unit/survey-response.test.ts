import { describe, expect, it } from 'vitest';
import { topicsOf } from '../../lambdas/core/comment-topics.js';
import { caseIdFor, isOverdue, moveCase, openCase } from '../../lambdas/core/feedback-case.js';
import { CommentTopic } from '../../lambdas/core/survey.js';
import { castVote, changeable, type SurveyResponse, type VoteVia } from '../../lambdas/core/survey-response.js';
import { HOUR_MS, NOW } from './fixtures.js';

const later = (ms: number) => new Date(NOW.getTime() + ms);

function vote(existing: SurveyResponse | undefined, score: number, at: Date, via: VoteVia = 'button') {
  const cast = castVote(existing, {
    clubId: 'club-1',
    campaignId: 'nps-q2',
    memberId: 'member-1',
    score,
    via,
    now: at,
    segments: { engagement: 'active' },
  });
  if (!cast.ok) throw new Error(`vote refused: ${cast.why}`);
  return cast;
}

describe('a survey response', () => {
  it('is made by the first vote, with its time and segments, and names the group it moved into', () => {
    const { response, effect } = vote(undefined, 4, NOW);
    expect(response).toMatchObject({
      score: 4,
      answeredAt: NOW.toISOString(),
      segments: { engagement: 'active' },
      version: 0,
      commented: false,
    });
    expect(response.automated).toBeUndefined();
    expect(effect).toEqual({ before: 'none', after: 'detractor' });
  });

  it('can be changed for 24 hours after the first vote and is final after that', () => {
    const first = vote(undefined, 4, NOW).response;
    const changed = vote({ ...first, version: 1 }, 9, later(23 * HOUR_MS));
    expect(changed.response).toMatchObject({ score: 9, answeredAt: NOW.toISOString(), version: 1 });
    expect(changed.effect).toEqual({ before: 'detractor', after: 'promoter' });
    expect(changeable(first, later(24 * HOUR_MS - 1))).toBe(true);
    expect(
      castVote(first, {
        clubId: 'club-1',
        campaignId: 'nps-q2',
        memberId: 'member-1',
        score: 2,
        via: 'button',
        now: later(24 * HOUR_MS),
        segments: {},
      }),
    ).toEqual({ ok: false, why: 'final' });
  });

  it('is marked automated by votes for three different scores within seconds, and stays so', () => {
    let response = vote(undefined, 0, NOW).response;
    response = vote(response, 5, later(2000)).response;
    expect(response.automated).toBeUndefined();
    const third = vote(response, 10, later(4000));
    expect(third.response.automated).toBe('rapid-scores');
    expect(third.effect).toEqual({ before: 'detractor', after: 'automated' });
    // A person changing their mind later does not clear it.
    expect(vote(third.response, 9, later(HOUR_MS)).response.automated).toBe('rapid-scores');
  });

  it('is not automated when a person changes their mind once, or slowly', () => {
    let response = vote(undefined, 6, NOW).response;
    response = vote(response, 7, later(3000)).response;
    response = vote(response, 7, later(5000)).response;
    response = vote(response, 8, later(20_000)).response;
    expect(response.automated).toBeUndefined();
  });

  it('is marked automated by a vote from the honeypot page', () => {
    expect(vote(undefined, 10, NOW, 'honeypot').response.automated).toBe('honeypot');
  });
});

describe('a follow-up case', () => {
  const opened = openCase({
    clubId: 'club-1',
    campaignId: 'nps-q2',
    memberId: 'member-1',
    score: 3,
    owner: 'Kundtjänst',
    dueHours: 48,
    now: NOW,
  });

  it('opens once per answer, with its owner, due in 48 hours', () => {
    expect(opened).toMatchObject({ state: 'open', owner: 'Kundtjänst', dueAt: later(48 * HOUR_MS).toISOString() });
    expect(opened.caseId).toBe(caseIdFor('club-1', 'nps-q2', 'member-1'));
    expect(caseIdFor('club-1', 'nps-q3', 'member-1')).not.toBe(opened.caseId);
  });

  it('moves open → contacted → resolved and never back', () => {
    const contacted = moveCase(opened, 'contacted', 'user:anna', later(HOUR_MS), 'Called, left a message');
    if (!contacted.ok) throw new Error(contacted.message);
    expect(contacted.case.history.map((s) => s.state)).toEqual(['open', 'contacted']);
    const resolved = moveCase(contacted.case, 'resolved', 'user:anna', later(2 * HOUR_MS));
    if (!resolved.ok) throw new Error(resolved.message);
    expect(moveCase(resolved.case, 'open', 'user:anna', later(3 * HOUR_MS))).toMatchObject({ ok: false });
    expect(moveCase(resolved.case, 'contacted', 'user:anna', later(3 * HOUR_MS))).toMatchObject({ ok: false });
    expect(moveCase(resolved.case, 'resolved', 'user:anna', later(3 * HOUR_MS))).toMatchObject({
      ok: true,
      changed: false,
    });
  });

  it('is overdue when still open after its due time, and not once someone contacted the member', () => {
    expect(isOverdue(opened, later(47 * HOUR_MS))).toBe(false);
    expect(isOverdue(opened, later(48 * HOUR_MS))).toBe(true);
    expect(isOverdue({ ...opened, state: 'contacted' }, later(72 * HOUR_MS))).toBe(false);
  });
});

describe('comment topics', () => {
  const topics = [
    CommentTopic.parse({ id: 'queues', keywords: ['kö', 'kassa', 'queue', 'waiting time'] }),
    CommentTopic.parse({ id: 'staff', keywords: ['personal', 'staff'] }),
  ];

  it('tags a comment with each topic one of whose keywords starts a word, in any case', () => {
    expect(topicsOf('Alldeles för långa KÖER vid kassorna', topics)).toEqual(['queues']);
    expect(topicsOf('The queues were long but the staff were kind', topics)).toEqual(['queues', 'staff']);
    expect(topicsOf('Long waiting times on Saturdays', topics)).toEqual(['queues']);
  });

  it('does not tag a keyword found inside another word, or nothing at all', () => {
    expect(topicsOf('Trevligt personalrum, bra sortiment', topics)).toEqual(['staff']);
    expect(topicsOf('Inga problem i skokassan', topics)).toEqual([]);
    expect(topicsOf('Ekö', topics)).toEqual([]);
    expect(topicsOf('', topics)).toEqual([]);
  });
});
