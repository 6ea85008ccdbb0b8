import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { type Harness, startHarness } from '../support/local-harness.js';
import {
  answer,
  api,
  createCampaign,
  mailsOf,
  npsNow,
  pageForm,
  postForm,
  runCampaign,
  scoreLink,
  surveyClub,
} from '../support/surveys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Every item of the table that names the member, by key or by field: what an erasure must leave none of. */
async function itemsNaming(clubId: string, memberId: string): Promise<string[]> {
  const db = createDocumentClient({ endpoint: h.urls.dynamodb });
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: 'club-planner', ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of page.Items ?? []) {
      const text = JSON.stringify(item);
      if (text.includes(clubId) && (text.includes(`"${memberId}"`) || text.includes(`#${memberId}`)))
        found.push(`${String(item.pk)} ${String(item.sk)}`);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found.sort();
}

describe('survey answers and the member’s rights', () => {
  it('puts the answers, the comment and the case in the member’s export, and erases every trace of them', async () => {
    const demo = await surveyClub(h, {
      relationshipSampleShare: 0.2,
      caseDueHours: 48,
      topics: [{ id: 'queues', keywords: ['queue'] }],
    });
    const clubId = demo.club.clubId;
    const campaignId = await createCampaign(h, clubId, { kind: 'survey' });
    await runCampaign(h, clubId, campaignId);
    const [mail] = await mailsOf(h, campaignId);
    if (!mail) throw new Error('no survey mail');
    const member = demo.members.find((m) => m.email === mail.destination.to[0]);
    if (!member) throw new Error('unknown member');
    const reason = await pageForm(new URL(await answer(h, scoreLink(mail, 4)), h.urls.http).toString());
    await postForm(h, reason.action, { csrf: reason.csrf, reason: 'The queue was far too long' });

    const exported = z
      .object({
        surveys: z.array(
          z.object({
            response: z.object({ campaignId: z.string(), score: z.number(), topics: z.array(z.string()) }),
            comment: z.string(),
          }),
        ),
        feedbackCases: z.array(z.object({ campaignId: z.string(), state: z.string() })),
      })
      .parse((await api(h, `/clubs/${clubId}/members/${member.memberId}/export`)).json);
    expect(exported.surveys).toEqual([
      {
        response: expect.objectContaining({ campaignId, score: 4, topics: ['queues'] }),
        comment: 'The queue was far too long',
      },
    ]);
    expect(exported.feedbackCases).toEqual([expect.objectContaining({ campaignId, state: 'open' })]);
    const before = await itemsNaming(clubId, member.memberId);
    for (const kind of [' SURVEY#', 'NPS#', 'TOPIC#', 'CASES#']) expect(before.join('\n')).toContain(kind);

    expect((await api(h, `/clubs/${clubId}/members/${member.memberId}/erase`, { method: 'POST' })).status).toBe(200);
    expect(await itemsNaming(clubId, member.memberId)).toEqual([]);
    expect((await npsNow(h, clubId)).responses).toBe(0);
    expect((await api(h, `/clubs/${clubId}/feedback/topics`)).json).toMatchObject({
      topics: [{ id: 'queues', members: 0 }],
    });
    expect(await h.deps.feedbackCases.list(clubId, {})).toEqual([]);
  });
});
