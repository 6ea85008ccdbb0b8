import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Logger } from '../../lambdas/core/ports.js';
import { type Harness, sesInbox, startHarness } from '../support/local-harness.js';
import {
  answer,
  api,
  createCampaign,
  mailsOf,
  pageForm,
  postForm,
  runCampaign,
  scoreLink,
  surveyClub,
} from '../support/surveys.js';

const lines: string[] = [];
const capture: Logger = {
  info: (message, fields) => void lines.push(JSON.stringify({ message, ...fields })),
  warn: (message, fields) => void lines.push(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => void lines.push(JSON.stringify({ message, ...fields })),
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ log: capture });
});
afterAll(async () => {
  await h?.stop();
});

const HOUR = 3_600_000;
const COMMENT = 'Alldeles för lång kö i kassan, och ingen öppnade en till.';

const CaseRow = z.object({
  caseId: z.string(),
  memberId: z.string(),
  score: z.number(),
  state: z.string(),
  owner: z.string().optional(),
  openedAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
});
const Cases = z.object({ cases: z.array(CaseRow) });

describe('a detractor’s answer, end to end', () => {
  it('opens a case for its owner, alerts the feedback address, shows the comment and purchases, and is resolved', async () => {
    const demo = await surveyClub(h, {
      relationshipSampleShare: 1,
      caseOwner: 'Kundtjänst Södermalm',
      feedbackEmail: 'feedback@club-staff.test',
      caseDueHours: 48,
      topics: [{ id: 'queues', keywords: ['kö', 'kassa'] }],
    });
    const clubId = demo.club.clubId;
    const surveyId = await createCampaign(h, clubId, { kind: 'survey', survey: { type: 'relationship' } });
    await runCampaign(h, clubId, surveyId);
    const mail = (await mailsOf(h, surveyId)).find((m) => m.destination.to[0]?.includes('.m002@'));
    if (!mail) throw new Error('m002 got no survey');
    const member = demo.members.find((m) => m.memberId === 'm002');
    if (!member) throw new Error('no m002');

    // The response: a 3, and a reason about the queues.
    const reasonStep = await answer(h, scoreLink(mail, 3));
    const reason = await pageForm(new URL(reasonStep, h.urls.http).toString());
    const thanksAt = await postForm(h, reason.action, { csrf: reason.csrf, reason: COMMENT });
    expect(thanksAt.status).toBe(303);
    const thanks = await (await fetch(new URL(thanksAt.headers.get('location') ?? '', h.urls.http))).text();
    expect(thanks).toContain('inom 2 dagar');

    // The case: open, owned, due in 48 hours.
    const listed = Cases.parse((await api(h, `/clubs/${clubId}/feedback/cases`)).json).cases;
    expect(listed).toHaveLength(1);
    const opened = listed[0];
    if (!opened) throw new Error('no case');
    expect(opened).toMatchObject({
      memberId: 'm002',
      score: 3,
      state: 'open',
      owner: 'Kundtjänst Södermalm',
      overdue: false,
    });
    expect(Date.parse(opened.dueAt) - Date.parse(opened.openedAt)).toBe(48 * HOUR);

    // The alert: a mail to the club's feedback address in the local inbox, with the case's link and nothing private.
    const alert = (await sesInbox(h.urls.ses)).find((m) => m.destination.to.includes('feedback@club-staff.test'));
    expect(alert?.subject).toContain('a score of 3');
    expect(alert?.body.text).toContain(`/api/clubs/${clubId}/feedback/cases/${opened.caseId}`);
    expect(alert?.body.text).not.toContain(member.email);
    expect(alert?.body.text).not.toContain('kassan');

    // What the owner reads: the member to call, the comment, its topic, and recent purchases with names.
    const detail = await api(h, `/clubs/${clubId}/feedback/cases/${opened.caseId}`);
    expect(detail.status).toBe(200);
    const read = z
      .object({
        member: z.object({ email: z.string(), firstName: z.string() }),
        answers: z.object({
          score: z.number(),
          answeredAt: z.string(),
          comment: z.string(),
          topics: z.array(z.string()),
        }),
        recentPurchases: z.array(z.object({ items: z.array(z.object({ name: z.string() })) })),
      })
      .parse(detail.json);
    expect(read.member.email).toBe(member.email);
    expect(read.answers).toEqual({ score: 3, answeredAt: expect.any(String), comment: COMMENT, topics: ['queues'] });
    expect(read.recentPurchases.length).toBeGreaterThan(0);
    expect(read.recentPurchases[0]?.items[0]?.name).toMatch(/\w/);

    // The case is a service case: the member's ledger notes it, so no survey goes within 14 days of it.
    const ledgerAfter = async () => (await h.deps.members.getState(clubId, 'm002'))?.ledger.serviceCaseAt;
    expect(await ledgerAfter()).toBe(Date.parse(opened.openedAt));

    // Two days on, nobody has called: overdue, in the list, the metric and the log.
    h.clock.advance(49 * HOUR);
    const overdue = Cases.parse((await api(h, `/clubs/${clubId}/feedback/cases?overdue=true`)).json).cases;
    expect(overdue.map((c) => [c.caseId, c.overdue])).toEqual([[opened.caseId, true]]);
    expect((await h.handlers.checkFeedbackCases()).overdue).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.includes('"feedback case overdue"') && l.includes(opened.caseId))).toBe(true);
    expect(lines.some((l) => l.includes('"metric":"OverdueFeedbackCases"'))).toBe(true);

    // The owner calls, then resolves it; a case never goes back.
    const calledFrom = h.clock.now().getTime();
    const contacted = await api(h, `/clubs/${clubId}/feedback/cases/${opened.caseId}`, {
      method: 'PATCH',
      body: { state: 'contacted', note: 'Ringde, lovade fler öppna kassor på lördagar.' },
    });
    expect(contacted).toMatchObject({ status: 200, json: { case: { state: 'contacted', overdue: false } } });
    // Calling the member is a service contact too: the hold now runs from the call.
    const heldFrom = (await ledgerAfter()) ?? 0;
    expect(heldFrom).toBeGreaterThanOrEqual(calledFrom);
    expect(heldFrom).toBeLessThanOrEqual(h.clock.now().getTime());
    expect(Cases.parse((await api(h, `/clubs/${clubId}/feedback/cases?overdue=true`)).json).cases).toEqual([]);
    const resolved = await api(h, `/clubs/${clubId}/feedback/cases/${opened.caseId}`, {
      method: 'PATCH',
      body: { state: 'resolved' },
    });
    expect(resolved).toMatchObject({ status: 200, json: { case: { state: 'resolved' } } });
    const back = await api(h, `/clubs/${clubId}/feedback/cases/${opened.caseId}`, {
      method: 'PATCH',
      body: { state: 'open' },
    });
    expect(back).toMatchObject({ status: 409, json: { message: 'a resolved case cannot become open' } });

    // The audit trail has both moves, and never the member's comment.
    const audit = JSON.stringify((await api(h, `/clubs/${clubId}/audit`)).json);
    expect(audit).toContain('PATCH /clubs/:clubId/feedback/cases/:caseId');
    expect(audit).not.toContain('kassan');
  });

  it('lets the club record a complaint or service case, which holds surveys back, and refuses one in the future', async () => {
    const demo = await surveyClub(h, { relationshipSampleShare: 1, caseDueHours: 48, topics: [] });
    const clubId = demo.club.clubId;
    const recorded = await api(h, `/clubs/${clubId}/members/m003/service-cases`, {
      method: 'POST',
      body: { kind: 'complaint', at: new Date(h.clock.now().getTime() - 3 * 24 * HOUR).toISOString() },
    });
    expect(recorded.status).toBe(201);
    const future = await api(h, `/clubs/${clubId}/members/m003/service-cases`, {
      method: 'POST',
      body: { kind: 'complaint', at: new Date(h.clock.now().getTime() + 2 * HOUR).toISOString() },
    });
    expect(future).toMatchObject({ status: 400, json: { message: 'at: must not be in the future' } });
    const unknown = await api(h, `/clubs/${clubId}/members/nobody/service-cases`, {
      method: 'POST',
      body: { kind: 'service-case' },
    });
    expect(unknown.status).toBe(404);
    const kind = await api(h, `/clubs/${clubId}/members/m003/service-cases`, {
      method: 'POST',
      body: { kind: 'chat' },
    });
    expect(String(kind.json.message)).toMatch(/^kind: /);

    const survey = await createCampaign(h, clubId, { kind: 'survey' });
    const dry = z
      .object({
        dryRun: z.object({
          decisions: z.array(z.object({ memberId: z.string(), reason: z.string().optional(), message: z.string() })),
        }),
      })
      .parse((await api(h, `/clubs/${clubId}/campaigns/${survey}/dry-run`, { method: 'POST' })).json);
    expect(dry.dryRun.decisions.find((d) => d.memberId === 'm003')).toMatchObject({
      reason: 'recent-service-case',
      message: 'The member had a complaint or service case 3 days ago; no survey within 14 days of one.',
    });
    // An offers campaign is not held back by it.
    const offers = await createCampaign(h, clubId, {
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
    });
    const offersDry = z
      .object({
        dryRun: z.object({ decisions: z.array(z.object({ memberId: z.string(), reason: z.string().optional() })) }),
      })
      .parse((await api(h, `/clubs/${clubId}/campaigns/${offers}/dry-run`, { method: 'POST' })).json);
    expect(offersDry.dryRun.decisions.find((d) => d.memberId === 'm003')?.reason).not.toBe('recent-service-case');
  });
});

describe('you said, we did', () => {
  it('sends the club’s note on a topic to the members whose comments raised it, under the budget', async () => {
    const demo = await surveyClub(h, {
      relationshipSampleShare: 1,
      caseDueHours: 48,
      topics: [{ id: 'queues', keywords: ['kö', 'queue'] }],
    });
    const clubId = demo.club.clubId;
    const surveyId = await createCampaign(h, clubId, { kind: 'survey' });
    await runCampaign(h, clubId, surveyId);
    const mails = await mailsOf(h, surveyId);
    const [raised, other] = mails;
    if (!raised || !other) throw new Error('too few mails');
    for (const [mail, text] of [
      [raised, 'Köerna är för långa'],
      [other, 'Bra sortiment'],
    ] as const) {
      const reason = await pageForm(new URL(await answer(h, scoreLink(mail, 8)), h.urls.http).toString());
      await postForm(h, reason.action, { csrf: reason.csrf, reason: text });
    }
    const topics = await api(h, `/clubs/${clubId}/feedback/topics`);
    expect(topics.json).toEqual({ topics: [{ id: 'queues', keywords: ['kö', 'queue'], members: 1 }] });

    const text = (sv: string, da: string, en: string) => ({ sv, da, en });
    const noteId = await createCampaign(h, clubId, {
      name: 'Kortare köer',
      kind: 'note',
      note: {
        topic: 'queues',
        subject: text(
          'Ni sa, vi gjorde: kortare köer',
          'I sagde, vi gjorde: kortere køer',
          'You said, we did: shorter queues',
        ),
        headline: text('Fler kassor på lördagar', 'Flere kasser om lørdagen', 'More tills on Saturdays'),
        body: text(
          'Från och med nu har vi fyra kassor öppna.\n\nTack för att du sa till.',
          'Fra nu af har vi fire kasser åbne.',
          'From now on four tills are open.',
        ),
      },
    });
    // The budget: a survey does not use it up, so the note may follow at once.
    await runCampaign(h, clubId, noteId);
    const notes = await mailsOf(h, noteId);
    expect(notes.map((m) => m.destination.to[0])).toEqual(raised.destination.to);
    expect(notes[0]?.body.html).toContain('Från och med nu har vi fyra kassor öppna.');
    const report = z
      .object({ report: z.object({ suppressed: z.record(z.string(), z.number()) }) })
      .parse((await api(h, `/clubs/${clubId}/campaigns/${noteId}`)).json);
    expect(report.report.suppressed['not-in-audience']).toBeGreaterThan(40);
  });
});
