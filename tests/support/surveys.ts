import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import type { Club } from '../../lambdas/core/model.js';
import { apiFetch, type Harness, header, type StoredEmail, sesInbox, uniqueId } from './local-harness.js';
import { quiesce } from './send-fixtures.js';

/** A seeded demo grocery club (50 members with receipts) with these feedback settings. */
export async function surveyClub(h: Harness, feedback: NonNullable<Club['feedback']>, seed = 5): Promise<DemoClub> {
  const demo = demoGroceryClub(h.clock.now(), seed, uniqueId('fb'));
  const club: Club = { ...demo.club, feedback };
  await seedDemo(h.deps, { ...demo, club });
  return { ...demo, club };
}

/** The marketer API as JSON, with the harness's admin token for the club in the path. */
export async function api(
  h: Harness,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await apiFetch(h, path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, json: z.record(z.string(), z.unknown()).parse(await response.json()) };
}

/** Create a campaign over HTTP (as a draft); its id. */
export async function createCampaign(h: Harness, clubId: string, body: Record<string, unknown>): Promise<string> {
  const created = await api(h, `/clubs/${clubId}/campaigns`, {
    method: 'POST',
    body: { name: 'Survey', sendAt: new Date(h.clock.now().getTime() + 200).toISOString(), ...body },
  });
  if (created.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(created.json)}`);
  return z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json).campaign.campaignId;
}

/** Schedule a campaign, wait until it is planned and every mail has gone out. */
export async function runCampaign(h: Harness, clubId: string, campaignId: string): Promise<void> {
  const scheduled = await api(h, `/clubs/${clubId}/campaigns/${campaignId}/schedule`, { method: 'POST' });
  if (scheduled.status !== 200) throw new Error(`not scheduled: ${JSON.stringify(scheduled.json)}`);
  // Real time, not the test clock: on a loaded machine planning can take many seconds.
  const until = Date.now() + 120_000;
  for (;;) {
    await h.settle();
    const status = (await h.deps.campaigns.getCampaign(clubId, campaignId))?.status;
    if (status === 'planned') break;
    if (Date.now() > until) throw new Error(`campaign ${campaignId} still ${status} after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Mails the send worker put back on the queue for a moment (held, or waiting to be reconciled) too.
  await quiesce(h);
}

/** The campaign's mails in the local inbox (its Feedback-ID names it). */
export async function mailsOf(h: Harness, campaignId: string): Promise<StoredEmail[]> {
  return (await sesInbox(h.urls.ses)).filter((m) => header(m, 'Feedback-ID')?.startsWith(`${campaignId}:`));
}

/** Every link of a mail's HTML part, as written (entities decoded). */
export function linksOf(mail: StoredEmail): string[] {
  return [...(mail.body.html ?? '').matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
}

/** The link of one score button. */
export function scoreLink(mail: StoredEmail, score: number): string {
  const link = linksOf(mail).find((l) => l.endsWith(`?score=${score}`));
  if (!link) throw new Error(`no link for score ${score}`);
  return link;
}

/** A page's form: where it posts and its form token. */
export async function pageForm(url: string): Promise<{ action: string; csrf: string; html: string; status: number }> {
  const response = await fetch(url);
  const html = await response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrf) throw new Error(`no form on ${response.status} page`);
  return { action, csrf, html, status: response.status };
}

/** Post a form as the page's own button would (same origin, form-encoded); the answer without following a redirect. */
export async function postForm(h: Harness, action: string, fields: Record<string, string>): Promise<Response> {
  return fetch(new URL(action, h.urls.http), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.urls.http },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

/** Open a score link and send its page's form: what a member does. Returns the redirect's target. */
export async function answer(h: Harness, link: string, score?: number): Promise<string> {
  const { action, csrf } = await pageForm(link);
  const url = new URL(link);
  const posted = await postForm(h, action, {
    csrf,
    via: 'button',
    score: String(score ?? url.searchParams.get('score')),
  });
  if (posted.status !== 303) throw new Error(`vote answered ${posted.status}`);
  return posted.headers.get('location') ?? '';
}

export const NpsAnswer = z.object({
  nps: z.number().nullable(),
  margin95: z.number().nullable(),
  responses: z.number(),
  promoters: z.number(),
  passives: z.number(),
  detractors: z.number(),
});

/** The club's NPS over the last day. */
export async function npsNow(h: Harness, clubId: string): Promise<z.infer<typeof NpsAnswer>> {
  const now = h.clock.now();
  const from = new Date(now.getTime() - 86_400_000).toISOString();
  const to = new Date(now.getTime() + 60_000).toISOString();
  const answered = await api(h, `/clubs/${clubId}/nps?from=${from}&to=${to}&window=90`);
  if (answered.status !== 200) throw new Error(`nps answered ${answered.status}: ${JSON.stringify(answered.json)}`);
  return NpsAnswer.parse(answered.json);
}
