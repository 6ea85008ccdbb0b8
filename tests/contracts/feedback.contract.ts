import { describe, expect, it } from 'vitest';
import { openCase } from '../../lambdas/core/feedback-case.js';
import { dayOf } from '../../lambdas/core/nps-days.js';
import { SurveyResponse } from '../../lambdas/core/survey-response.js';
import { uniqueId } from '../support/ids.js';
import type { MakeStores } from './stores.js';

// Recent: the table's adapter hides what its retention has expired (a comment goes within months).
const AT = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 24 * 60 * 60_000);
const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

function aResponse(clubId: string, campaignId: string, memberId: string, score: number, at = AT): SurveyResponse {
  return SurveyResponse.parse({
    clubId,
    campaignId,
    memberId,
    score,
    answeredAt: at.toISOString(),
    changedAt: at.toISOString(),
    votes: [{ score, at: at.toISOString(), via: 'button' }],
    segments: { language: 'sv' },
    version: 0,
  });
}

/** What SurveyResponses and FeedbackCases promise, whatever holds them. */
export function feedbackContract(make: MakeStores): void {
  describe('the survey responses', () => {
    it('saves a response at the version read, counts it in the NPS and leaves an automated one out', async () => {
      const { surveys } = make();
      const clubId = uniqueId('club');
      const campaignId = uniqueId('c');
      const first = aResponse(clubId, campaignId, 'a', 9);
      expect(await surveys.save(first, 0)).toBe('saved');
      expect(await surveys.save(first, 0)).toBe('changed');
      const stored = await surveys.get(clubId, campaignId, 'a');
      expect(stored?.response).toMatchObject({ score: 9, version: 1 });
      expect(await surveys.save({ ...first, score: 3, changedAt: later(5).toISOString() }, 1)).toBe('saved');
      await surveys.save(aResponse(clubId, campaignId, 'b', 10, later(10)), 0);
      await surveys.save({ ...aResponse(clubId, campaignId, 'c', 0, later(11)), automated: 'rapid-scores' }, 0);
      const rows = await surveys.answers(clubId, AT, later(60));
      expect(rows.map((r) => [r.memberId, r.score]).sort()).toEqual([['b', 10]]);
      const withFirst = await surveys.answers(clubId, later(-1), later(60));
      expect(withFirst.map((r) => [r.memberId, r.score]).sort()).toEqual([
        ['a', 3],
        ['b', 10],
      ]);
      expect(withFirst.find((r) => r.memberId === 'a')?.segments).toEqual({ language: 'sv' });
      expect(await surveys.get(clubId, campaignId, 'nobody')).toBeUndefined();
    });

    it("keeps a member's reason apart, with its topics as a note's audience, and erases the member's rows", async () => {
      const { surveys } = make();
      const clubId = uniqueId('club');
      const campaignId = uniqueId('c');
      const response = { ...aResponse(clubId, campaignId, 'a', 4), topics: ['queues', 'prices'], commented: true };
      await surveys.save(response, 0);
      await surveys.saveComment(response, 'Long queues', [], later(1));
      expect((await surveys.get(clubId, campaignId, 'a'))?.comment).toBe('Long queues');
      expect(await surveys.topicAudience(clubId, 'queues', AT)).toEqual(new Set(['a']));
      const changed = { ...response, topics: ['prices'], version: 1 };
      await surveys.save(changed, 1);
      await surveys.saveComment(changed, '', ['queues', 'prices'], later(2));
      expect((await surveys.get(clubId, campaignId, 'a'))?.comment).toBeUndefined();
      expect(await surveys.topicAudience(clubId, 'queues', AT)).toEqual(new Set());
      expect(await surveys.topicAudience(clubId, 'prices', later(3))).toEqual(new Set());
      expect((await surveys.ofMember(clubId, 'a')).map((r) => r.response.campaignId)).toEqual([campaignId]);
      expect(await surveys.eraseMember(clubId, 'a')).toBeGreaterThanOrEqual(1);
      expect(await surveys.answers(clubId, later(-1), later(60))).toEqual([]);
      expect(await surveys.topicAudience(clubId, 'prices', AT)).toEqual(new Set());
    });

    it("marks an answer's day of the NPS roll-up changed with every write and erasure, and stores a day's counts only while none came since", async () => {
      const { surveys } = make();
      const clubId = uniqueId('club');
      const campaignId = uniqueId('c');
      const day = dayOf(AT.getTime());
      const counts = (promoters: number) => ({
        day,
        hours: [[12, promoters, 0, 0] as [number, number, number, number]],
        segments: [['language', 'sv', promoters, 0, 0] as [string, string, number, number, number]],
      });
      expect(await surveys.npsDays(clubId, day, day)).toEqual([]);
      // A day never written: stored only while still absent.
      const quiet = dayOf(later(-3 * 24 * 60).getTime());
      expect(await surveys.putNpsDay(clubId, { day: quiet, hours: [], segments: [] }, 0)).toBe('saved');
      expect(await surveys.putNpsDay(clubId, { day: quiet, hours: [], segments: [] }, 0)).toBe('changed');
      const response = aResponse(clubId, campaignId, 'a', 9);
      await surveys.save(response, 0);
      expect(await surveys.npsDays(clubId, day, day)).toEqual([{ day, changes: 1 }]);
      expect(await surveys.putNpsDay(clubId, counts(1), 0)).toBe('changed');
      expect(await surveys.putNpsDay(clubId, counts(1), 1)).toBe('saved');
      expect(await surveys.npsDays(clubId, quiet, day)).toEqual([
        { day: quiet, changes: 0, counted: 0, counts: { day: quiet, hours: [], segments: [] } },
        { day, changes: 1, counted: 1, counts: counts(1) },
      ]);
      // A correction, then the same write again (refused), then an erasure: each write marks the day.
      await surveys.save({ ...response, score: 3 }, 1);
      expect(await surveys.save({ ...response, score: 3 }, 1)).toBe('changed');
      expect(await surveys.npsDays(clubId, day, day)).toEqual([{ day, changes: 2, counted: 1, counts: counts(1) }]);
      expect(await surveys.putNpsDay(clubId, counts(0), 1)).toBe('changed');
      await surveys.eraseMember(clubId, 'a');
      expect((await surveys.npsDays(clubId, day, day))[0]?.changes).toBe(3);
      expect(await surveys.npsDays(uniqueId('club'), quiet, day)).toEqual([]);
    });
  });

  describe('the feedback cases', () => {
    it('opens a case once, replaces it at the version read, and lists it by state and due time', async () => {
      const { feedbackCases } = make();
      const clubId = uniqueId('club');
      const opened = openCase({
        clubId,
        campaignId: 'c1',
        memberId: 'a',
        score: 2,
        owner: undefined,
        dueHours: 24,
        now: AT,
      });
      expect(await feedbackCases.create(opened)).toBe('created');
      expect(await feedbackCases.create(opened)).toBe('exists');
      const stored = await feedbackCases.get(clubId, opened.caseId);
      expect(stored?.version).toBe(1);
      if (!stored) throw new Error('no case');
      const contacted = { ...stored, state: 'contacted' as const };
      expect(await feedbackCases.replace(contacted, 1)).toBe('replaced');
      expect(await feedbackCases.replace(contacted, 1)).toBe('changed');
      expect((await feedbackCases.get(clubId, opened.caseId))?.version).toBe(2);
      const other = openCase({ clubId, campaignId: 'c1', memberId: 'b', score: 1, owner: 'x', dueHours: 1, now: AT });
      await feedbackCases.create(other);
      expect((await feedbackCases.list(clubId, {})).map((c) => c.memberId)).toEqual(['b', 'a']);
      expect((await feedbackCases.list(clubId, { state: 'open' })).map((c) => c.memberId)).toEqual(['b']);
      expect((await feedbackCases.list(clubId, { overdueAt: later(30) })).map((c) => c.memberId)).toEqual([]);
      expect((await feedbackCases.list(clubId, { overdueAt: later(61) })).map((c) => c.memberId)).toEqual(['b']);
    });

    it("finds open cases past due over every club, and a member's cases through their responses", async () => {
      const { feedbackCases, surveys } = make();
      const clubId = uniqueId('club');
      const campaignId = uniqueId('c');
      const due = openCase({ clubId, campaignId, memberId: 'a', score: 2, owner: undefined, dueHours: 1, now: AT });
      const notYet = openCase({ clubId, campaignId, memberId: 'b', score: 2, owner: undefined, dueHours: 48, now: AT });
      await feedbackCases.create(due);
      await feedbackCases.create(notYet);
      const overdue = await feedbackCases.overdue(later(120), 1000);
      expect(overdue.map((c) => c.caseId)).toContain(due.caseId);
      expect(overdue.map((c) => c.caseId)).not.toContain(notYet.caseId);
      await surveys.save(aResponse(clubId, campaignId, 'a', 2), 0);
      expect((await feedbackCases.ofMember(clubId, 'a')).map((c) => c.caseId)).toEqual([due.caseId]);
      expect(await feedbackCases.eraseMember(clubId, 'a')).toBe(1);
      expect(await feedbackCases.get(clubId, due.caseId)).toBeUndefined();
    });
  });
}
