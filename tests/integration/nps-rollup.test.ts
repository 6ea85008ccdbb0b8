import type { AddressInfo } from 'node:net';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { FeedbackKeys } from '../../lambdas/adapters/dynamodb-feedback-keys.js';
import { DynamoDbSurveyResponses } from '../../lambdas/adapters/dynamodb-survey-responses.js';
import { NpsQuery, npsReport } from '../../lambdas/app/nps-report.js';
import { bySegment, figureBetween, type NpsAnswer } from '../../lambdas/core/nps.js';
import { dayOf } from '../../lambdas/core/nps-days.js';
import { expiresAt } from '../../lambdas/core/retention.js';
import { SurveyResponse } from '../../lambdas/core/survey-response.js';
import { ensureTable } from '../../lambdas/runtime/local-table.js';
import { uniqueId } from '../support/ids.js';

/** The NPS roll-up on the DynamoDB adapter, with answers stored before it existed (docs/decisions/0055-nps-day-roll-up.md). */
let server: ReturnType<typeof dynalite> | undefined;
let db: ReturnType<typeof createDocumentClient> | undefined;

beforeAll(async () => {
  const emulator = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server = emulator;
  await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', () => resolve()));
  const { port } = emulator.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  await ensureTable(endpoint, 'club-planner');
  db = createDocumentClient({ endpoint });
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('the NPS day roll-up on DynamoDB', () => {
  it('counts the answers stored before the roll-up on the first read, then reads the days and counts a corrected day again', async () => {
    if (!db) throw new Error('the emulator has not started');
    const surveys = new DynamoDbSurveyResponses(db, 'club-planner');
    const clubId = uniqueId('club');
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    const clock = { now: () => new Date(now) };
    // 120 answers over 60 days, written as the NPS rows were before the roll-up: no day marked.
    const answers: NpsAnswer[] = [];
    for (let i = 0; i < 120; i++) {
      const at = now - Math.round(((i + 0.5) / 120) * 60 * DAY);
      const segments = { engagement: i % 3 === 0 ? 'passive' : 'active' };
      const answeredAt = new Date(at).toISOString();
      await db.send(
        new PutCommand({
          TableName: 'club-planner',
          Item: {
            ...FeedbackKeys.npsRow(clubId, answeredAt, 'c', `m${i}`),
            type: 'nps-row',
            at,
            score: i % 11,
            segments,
            campaignId: 'c',
            memberId: `m${i}`,
            expiresAt: expiresAt(answeredAt, 'surveyResponse'),
          },
        }),
      );
      answers.push({ at, score: i % 11, segments });
    }
    const query = NpsQuery.parse({
      from: new Date(now - 30 * DAY - 5 * HOUR).toISOString(),
      to: new Date(now - 2 * HOUR).toISOString(),
      window: 14,
      step: 7,
    });
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    const period = answers.filter((a) => a.at > from && a.at <= to);
    const first = await npsReport({ surveys, clock }, clubId, query);
    expect(first).toMatchObject(figureBetween(answers, from, to));
    expect(first.previous).toMatchObject(figureBetween(answers, from - (to - from), from));
    expect(first.segments.engagement).toEqual(bySegment(period, 'engagement'));
    // Every day was counted and stored: the next read finds them all current.
    const days = await surveys.npsDays(clubId, dayOf(from - 28 * DAY), dayOf(to));
    expect(days.length).toBeGreaterThan(40);
    expect(days.every((d) => d.counted === d.changes)).toBe(true);
    expect(await npsReport({ surveys, clock }, clubId, query)).toEqual(first);

    // A correction through the store: its day is marked, counted again, and the figures follow.
    const at = new Date(now - 10 * DAY - 30 * 60_000).toISOString();
    const response = SurveyResponse.parse({
      clubId,
      campaignId: 'c2',
      memberId: 'late',
      score: 10,
      answeredAt: at,
      changedAt: at,
      votes: [{ score: 10, at, via: 'button' }],
      segments: { engagement: 'active' },
      version: 0,
    });
    await surveys.save(response, 0);
    await surveys.save({ ...response, score: 0 }, 1);
    expect((await surveys.npsDays(clubId, dayOf(Date.parse(at)), dayOf(Date.parse(at))))[0]?.changes).toBe(2);
    const corrected = await npsReport({ surveys, clock }, clubId, query);
    const withLate = [...answers, { at: Date.parse(at), score: 0, segments: { engagement: 'active' } }];
    expect(corrected).toMatchObject(figureBetween(withLate, from, to));
    expect(corrected.detractors).toBe(first.detractors + 1);
  });
});
