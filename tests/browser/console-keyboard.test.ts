import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { toLocalDateTime } from '../../lambdas/core/local-time.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { consoleMarketer } from '../support/console-browser.js';
import { type Harness, startHarness, uniqueId } from '../support/local-harness.js';

const copy = COPY.en;
const available = browserAvailable();
let browser: Browser | undefined;
let h: Harness;

beforeAll(async () => {
  if (!available) return;
  [h, browser] = await Promise.all([startHarness(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const Focused = z.object({ tag: z.string(), text: z.string(), name: z.string(), value: z.string() });

/** What has the keyboard focus: its tag, text, name and value. */
async function focused(page: Page): Promise<z.infer<typeof Focused>> {
  return Focused.parse(
    await page.evaluate(
      '(() => { const e = document.activeElement; return { tag: e?.tagName ?? "", text: (e?.innerText ?? e?.textContent ?? "").trim(), name: e?.getAttribute("name") ?? e?.getAttribute("aria-label") ?? "", value: e?.value ?? "" }; })()',
    ),
  );
}

/** Tab until the focused element matches, as a keyboard user would; fails after `max` presses. */
async function tabTo(
  page: Page,
  matches: (f: z.infer<typeof Focused>) => boolean,
  what: string,
  max = 80,
): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (matches(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

const byText = (text: string) => (f: z.infer<typeof Focused>) => f.text === text;
const byName = (name: string) => (f: z.infer<typeof Focused>) => f.name === name;

/** Sign in at the issuer's form with the keyboard alone. */
async function signIn(context: BrowserContext, who: { email: string; password: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${h.urls.http}/console/`);
  await tabTo(page, byName('email'), 'the e-mail field');
  await page.keyboard.type(who.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console\/clubs\/.+\/calendar/);
  return page;
}

/** Enter on the focused link or button, and wait for the page it opens. */
async function enter(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

describe.runIf(available)('the console with the keyboard alone', () => {
  it('signs in, creates, previews, works out who gets it, submits, approves, schedules and reads the report', async () => {
    if (!browser) throw new Error('no browser');
    const clubId = uniqueId('keys');
    const demo = demoGroceryClub(h.clock.now(), 5, clubId);
    await seedDemo(h.deps, demo);
    await h.deps.clubs.putClub({ ...demo.club, requireApproval: true });
    const editor = await consoleMarketer(h, { [clubId]: 'editor' });
    const approver = await consoleMarketer(h, { [clubId]: 'approver' });
    const editorContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const approverContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await editorContext.addCookies([{ name: 'cp-lang', value: 'en', url: `${h.urls.http}/console` }]);
    await approverContext.addCookies([{ name: 'cp-lang', value: 'en', url: `${h.urls.http}/console` }]);

    // Sign in, open Campaigns and a new campaign.
    const page = await signIn(editorContext, editor);
    await tabTo(page, byText(copy.nav.campaigns), 'Campaigns');
    await enter(page);
    await tabTo(page, byText(copy.newCampaign), 'New campaign');
    await enter(page);

    // Name, theme by arrow keys, offers found with the search and ticked with Space, a send time a minute ahead.
    await tabTo(page, byName('name'), 'the name field');
    await page.keyboard.type('Tangentbordets erbjudanden');
    await tabTo(page, byName('offerQuery'), 'the offer search');
    await page.keyboard.type('mjölk');
    await page.waitForSelector('#offer-picker li');
    await tabTo(page, (f) => f.name === 'offerPool', 'a found offer');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    const sendAt = new Date(Math.ceil((h.clock.now().getTime() + 25_000) / 60_000) * 60_000);
    const local = toLocalDateTime(sendAt, 'Europe/Stockholm');
    await tabTo(page, byName('sendAt'), 'the send time');
    const [date, time] = local.split('T');
    const [year, month, day] = (date ?? '').split('-');
    const [hour = '00', minute = '00'] = (time ?? '').split(':');
    const hour12 = ((Number(hour) + 11) % 12) + 1;
    await page.keyboard.type(`${month}${day}${year}`);
    // A year takes up to six digits: the arrow key moves on to the hour.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type(`${String(hour12).padStart(2, '0')}${minute}${Number(hour) < 12 ? 'A' : 'P'}`);
    expect((await focused(page)).tag).toBe('INPUT');
    await expect(page.locator('#sendAt').inputValue()).resolves.toBe(local);
    await tabTo(page, byText(copy.editor.create), 'Create draft');
    await enter(page);
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(copy.campaign.done.created);
    const campaignUrl = page.url().split('?')[0] ?? '';

    // Preview a member found by name.
    await tabTo(page, byText(copy.campaign.preview), 'Preview');
    await enter(page);
    await tabTo(page, byName('q'), 'the member search');
    await page.keyboard.type('Anna');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await tabTo(page, (f) => f.tag === 'A' && f.text.startsWith('Anna ('), 'a found member');
    await enter(page);
    await expect(page.locator('iframe.mail').count()).resolves.toBe(2);

    // Who gets it: worked out with one press of Enter (htmx finishes it).
    await page.goto(`${campaignUrl}/dry-run`);
    await tabTo(page, byText(copy.explorer.start), 'Work it out');
    await enter(page);
    await page.waitForSelector('#explorer[aria-busy=false] table');
    await expect(page.locator('#explorer').innerText()).resolves.toContain(copy.explorer.steps.mailed);

    // Submit for approval.
    await page.goto(campaignUrl);
    await tabTo(page, byText(copy.campaign.submit), 'Submit for approval');
    await enter(page);
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(copy.campaign.done.submitted);

    // Another marketer approves it, with a comment.
    const review = await signIn(approverContext, approver);
    await review.goto(campaignUrl);
    await tabTo(review, byName('comment'), 'the comment');
    await review.keyboard.type('Ser bra ut.');
    await tabTo(review, byText(copy.campaign.approve), 'Approve');
    await enter(review);
    await expect(review.locator('[role=status]').innerText()).resolves.toBe(copy.campaign.done.approved);

    // The author schedules it; it goes out at its send time (the test's clock skips the wait for it).
    h.clock.advance(Math.max(0, sendAt.getTime() - h.clock.now().getTime() - 3000));
    await page.reload();
    await tabTo(page, byText(copy.campaign.schedule), 'Schedule');
    await enter(page);
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(copy.campaign.done.scheduled);
    const campaignId = campaignUrl.split('/').at(-1) ?? '';
    for (let i = 0; i < 150 && (await h.deps.campaigns.getCampaign(clubId, campaignId))?.status !== 'planned'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    await h.settle();

    // Read the report.
    await tabTo(page, byText(copy.campaign.report), 'Report');
    await enter(page);
    await tabTo(page, byText(copy.report.compute), 'Count the results');
    await enter(page);
    await page.waitForSelector('#report[aria-busy=false] table');
    const sent = page.locator('#report table').first().locator('tr', { hasText: copy.report.metrics.sent });
    await expect(sent.innerText()).resolves.toMatch(/[1-9]/);
    await editorContext.close();
    await approverContext.close();
  }, 180_000);
});
