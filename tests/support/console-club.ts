import { expect } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { moveCaseTo } from '../../lambdas/app/feedback-cases.js';
import { createImport, startImport } from '../../lambdas/app/import-jobs.js';
import { openCase } from '../../lambdas/core/feedback-case.js';
import { ImportFiles } from '../../lambdas/core/import-job.js';
import { sendIdFor } from '../../lambdas/core/ledger.js';
import { castVote } from '../../lambdas/core/survey-response.js';
import { callApi, type Harness, uniqueId } from './local-harness.js';

const Created = z.object({ campaign: z.object({ campaignId: z.string() }) });
const DAY = 86_400_000;

export interface ConsoleClub {
  readonly clubId: string;
  readonly demo: DemoClub;
  /** Sent, with a 20 % control group, some clicks and purchases. */
  readonly sent: string;
  /** Two scheduled within a day of each other, next week. */
  readonly scheduled: readonly [string, string];
  /** A draft waiting for approval. */
  readonly submitted: string;
}

export async function createCampaign(h: Harness, clubId: string, body: Record<string, unknown>): Promise<string> {
  const created = await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns`, body);
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return Created.parse(created.json).campaign.campaignId;
}

/**
 * The demo grocery club with something on every screen: a campaign sent to its 50 members with a
 * control group (clicks and offered products bought afterwards by some of each group), two campaigns
 * scheduled next week within a day of each other, and a draft submitted for approval.
 */
export async function consoleClub(h: Harness, seed = 42): Promise<ConsoleClub> {
  const clubId = uniqueId('stadsbutiken');
  const demo = demoGroceryClub(h.clock.now(), seed, clubId);
  await seedDemo(h.deps, demo);
  const pool = demo.offers.map((o) => o.offerId);
  const now = h.clock.now().getTime();
  const sent = await createCampaign(h, clubId, {
    name: 'Veckans medlemserbjudanden',
    theme: 'community',
    offerPool: pool,
    holdoutShare: 0.2,
    sendAt: new Date(now + 1500).toISOString(),
  });
  expect((await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns/${sent}/schedule`)).status).toBe(200);
  for (let i = 0; i < 100; i++) {
    if ((await h.deps.campaigns.getCampaign(clubId, sent))?.status === 'planned') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await h.settle();
  const decisions = await h.deps.campaigns.listDecisions(clubId, sent);
  const mailed = decisions.filter((d) => d.decision.outcome === 'send').map((d) => d.decision.memberId);
  const held = decisions
    .filter((d) => d.decision.outcome === 'suppress' && d.decision.reason === 'holdout')
    .map((d) => d.decision.memberId);
  expect(mailed.length).toBeGreaterThan(10);
  expect(held.length).toBeGreaterThan(0);
  for (const memberId of mailed.slice(0, 8))
    await h.deps.outcomes.noteClick(clubId, sent, memberId, new Date(now + 3_600_000));
  const product = demo.offers[0]?.productId ?? '';
  const buyers = [...mailed.slice(0, 6), ...held.slice(0, 1)];
  await h.deps.purchases.putReceipts(
    clubId,
    buyers.map((memberId, i) => ({
      receiptId: `r-${sendIdFor(clubId, sent, memberId).slice(0, 8)}`,
      memberId,
      at: new Date(now + (1 + (i % 3)) * DAY).toISOString(),
      items: [{ productId: product, quantity: 1 }],
    })),
  );
  const nextWeek = new Date(now + 3 * DAY);
  nextWeek.setUTCHours(8, 0, 0, 0);
  const first = await createCampaign(h, clubId, {
    name: 'Helgens frukost',
    theme: 'care',
    offerPool: pool.slice(0, 20),
    sendAt: nextWeek.toISOString(),
  });
  const second = await createCampaign(h, clubId, {
    name: 'Glutenfritt i fokus',
    theme: 'community',
    offerPool: pool.slice(10, 30),
    priority: 2,
    sendAt: new Date(nextWeek.getTime() + 10 * 3_600_000).toISOString(),
  });
  for (const id of [first, second])
    expect((await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns/${id}/schedule`)).status).toBe(200);
  const submitted = await createCampaign(h, clubId, {
    name: 'Midsommarbordet',
    theme: 'celebration',
    occasion: { id: 'midsummer', funFact: 'Midsommarafton har varit helgdag sedan 1953.' },
    offerPool: pool.slice(0, 15),
    holdoutShare: 0.1,
    sendAt: new Date(now + 10 * DAY).toISOString(),
  });
  expect((await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns/${submitted}/submit`)).status).toBe(200);
  // A members import through the bulk path, one of its lines refused.
  const { job } = await createImport(h.deps, clubId, { kind: 'members', format: 'csv' });
  const row = (id: string, email: string) =>
    `${id},${email},Ida,sv,2025-01-01T00:00:00Z,yes,v1,2025-01-01T00:00:00Z,shop,consent`;
  await h.deps.files.write(
    ImportFiles.source(clubId, job.jobId),
    [
      'member_id,email,first_name,language,joined_at,consent_marketing,consent_text_version,consent_at,consent_source,consent_legal_basis',
      row('new1', 'new1@members.example'),
      row('new2', 'not-an-address'),
      row('new3', 'new3@members.example'),
      '',
    ].join('\n'),
  );
  expect((await startImport(h.deps, clubId, job.jobId)).kind).toBe('started');
  for (let i = 0; i < 100 && (await h.deps.importJobs.get(clubId, job.jobId))?.status !== 'done'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { clubId, demo, sent, scheduled: [first, second], submitted };
}

/** What `seedNps` stored: the cases it opened, by state. */
export interface SeededNps {
  readonly open: string;
  readonly overdue: string;
  readonly contacted: string;
}

/**
 * Survey answers for the NPS screen, stored as the survey page stores them (castVote, the real
 * adapter): `perMonth` answers in each of the last 12 months, NPS rising from about 10 to about 40,
 * with the engagement segment and a home store; the first three months have a quarter as many, so
 * the windows over them are too few to read. And three detractors' cases: one open, one overdue, one contacted.
 */
export async function seedNps(h: Harness, clubId: string, perMonth = 60): Promise<SeededNps> {
  const now = h.clock.now().getTime();
  const campaignId = uniqueId('survey');
  const votes = [];
  for (let month = 0; month < 12; month++) {
    // In month m (0 = the oldest) promoters rise and detractors fall; passives fill the rest.
    const count = month < 3 ? Math.round(perMonth / 4) : perMonth;
    const promoters = Math.round(count * (0.35 + month * 0.012));
    const detractors = Math.round(count * (0.25 - month * 0.012));
    for (let i = 0; i < count; i++) {
      const score = i < promoters ? 9 + (i % 2) : i < promoters + detractors ? i % 7 : 7 + (i % 2);
      const at = now - (11 - month) * 30 * DAY - ((i + 0.5) / count) * 30 * DAY;
      votes.push(
        castVote(undefined, {
          clubId,
          campaignId,
          memberId: `nps-${month}-${i}`,
          score,
          via: 'button',
          now: new Date(at),
          segments: { engagement: i % 4 === 0 ? 'passive' : 'active', homeStore: i % 3 === 0 ? 'Haga' : 'Centrum' },
        }),
      );
    }
  }
  for (const vote of votes) {
    if (!vote.ok) throw new Error('vote refused');
    await h.deps.surveys.save(vote.response, 0);
  }
  const open = (memberId: string, score: number, hoursAgo: number) =>
    openCase({
      clubId,
      campaignId,
      memberId,
      score,
      owner: 'kundtjanst@stadsbutiken.example',
      dueHours: 48,
      now: new Date(now - hoursAgo * 3_600_000),
    });
  const fresh = open('nps-11-3', 3, 5);
  const late = open('nps-11-5', 5, 60);
  const called = open('nps-10-4', 4, 30);
  for (const one of [fresh, late, called]) expect(await h.deps.feedbackCases.create(one)).toBe('created');
  expect((await moveCaseTo(h.deps, clubId, called.caseId, { state: 'contacted' }, 'user:test')).ok).toBe(true);
  return { open: fresh.caseId, overdue: late.caseId, contacted: called.caseId };
}
