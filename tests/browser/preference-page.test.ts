import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { Frequency } from '../../lambdas/core/model.js';
import { signToken } from '../../lambdas/core/tokens.js';
import { PAGE_COPY } from '../../lambdas/http/pages/copy.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { type Harness, startHarness, uniqueId } from '../support/local-harness.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const Violations = z.array(z.object({ id: z.string(), help: z.string(), nodes: z.array(z.string()) }));

const available = browserAvailable();
let browser: Browser | undefined;
let h: Harness;

beforeAll(async () => {
  if (!available) return;
  h = await startHarness();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** A fresh demo club, and its gluten-free member (inferred from purchases) on their preference page. */
async function openPreferences(options: { javaScript?: boolean } = {}) {
  if (!browser) throw new Error('no browser');
  const demo = demoGroceryClub(h.clock.now(), 11, uniqueId('prefs'));
  await seedDemo(h.deps, demo);
  const member = demo.members.find((m) => demo.profiles.get(m.memberId)?.inferredRestrictions.includes('gluten-free'));
  if (!member) throw new Error('demo has no inferred gluten-free member');
  const token = signToken(
    h.tokenKeys,
    { purpose: 'preferences', clubId: demo.club.clubId, memberId: member.memberId },
    h.clock.now(),
  );
  // The page's CSP allows no script at all; the test bypasses it only to inject axe-core.
  const context = await browser.newContext({
    bypassCSP: true,
    javaScriptEnabled: options.javaScript ?? true,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(`${h.urls.http}/p/${token}`);
  const stored = async () => {
    const state = await h.deps.members.getState(demo.club.clubId, member.memberId);
    return state?.member;
  };
  return { demo, member, token, context, page, stored };
}

/** axe-core on the page as it is now; any violation fails the test, named with its rule and nodes. */
async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = Violations.parse(
    await page.evaluate(
      'axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")) })))',
    ),
  );
  expect(violations, `axe on ${state}`).toEqual([]);
}

async function done(context: BrowserContext): Promise<void> {
  await context.close();
}

describe.runIf(available)('the preference page in a real browser', () => {
  it('changes frequency, topics, declared diet and name-day mail, saves at once and confirms it', async () => {
    const { page, context, stored, member } = await openPreferences();
    const copy = PAGE_COPY[member.language];
    await expectNoAxeViolations(page, 'the page as first opened');
    await page.getByLabel(copy.frequencies.monthly).check();
    await page.getByLabel(copy.topicNames.surveys).uncheck();
    await page.getByLabel(copy.topicNames.news).uncheck();
    await page.getByLabel(copy.restrictionNames['lactose-free']).check();
    await page.getByLabel(copy.nameDayMail).check();
    await page.getByRole('button', { name: copy.save }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(copy.outcomes.saved);
    await expectNoAxeViolations(page, 'the saved page');
    const after = await stored();
    expect(after?.preferences).toMatchObject({
      frequency: 'monthly',
      topics: ['offers', 'events'],
      nameDayMail: true,
      updatedVia: 'preference-page',
    });
    expect(after?.preferences.declaredRestrictions).toContain('lactose-free');
    // The page shows what was stored.
    await expect(page.getByLabel(copy.frequencies.monthly).isChecked()).resolves.toBe(true);
    await done(context);
  });

  it('works with the keyboard alone: arrow keys pick a frequency and Enter saves', async () => {
    const { page, context, stored, member } = await openPreferences();
    const copy = PAGE_COPY[member.language];
    const options = Frequency.options;
    const next = options[(options.indexOf(member.preferences.frequency) + 1) % options.length] ?? 'club-default';
    await page.locator('input[name=frequency]:checked').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByLabel(copy.frequencies[next]).isChecked()).resolves.toBe(true);
    // A visible focus indicator (WCAG 2.4.7) on the focused control.
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').innerText()).resolves.toBe(copy.outcomes.saved);
    expect((await stored())?.preferences.frequency).toBe(next);
    await done(context);
  });

  it('works with JavaScript turned off', async () => {
    const { page, context, stored, member } = await openPreferences({ javaScript: false });
    const copy = PAGE_COPY[member.language];
    await page.getByLabel(copy.frequencies['occasions-only']).check();
    await page.getByRole('button', { name: copy.save }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(copy.outcomes.saved);
    expect((await stored())?.preferences.frequency).toBe('occasions-only');
    await done(context);
  });

  it('removes an inferred restriction the member says is wrong', async () => {
    const { page, context, stored, member } = await openPreferences();
    const copy = PAGE_COPY[member.language];
    const remove = page
      .getByRole('listitem')
      .filter({ hasText: copy.restrictionNames['gluten-free'] })
      .getByRole('button', { name: copy.removeInference });
    await remove.click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(copy.outcomes.removed);
    await expect(remove.count()).resolves.toBe(0);
    await expectNoAxeViolations(page, 'the page after removing an inference');
    expect((await stored())?.preferences.rejectedInferences).toEqual(['gluten-free']);
    await done(context);
  });

  it('pauses mail for two weeks and resumes it', async () => {
    const { page, context, stored, member } = await openPreferences();
    const copy = PAGE_COPY[member.language];
    await page.getByRole('button', { name: copy.pauseFor(copy.pauseLengths['2w']) }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(copy.outcomes.paused);
    await expectNoAxeViolations(page, 'the paused page');
    const until = Date.parse((await stored())?.preferences.pausedUntil ?? '');
    expect(Math.round((until - h.clock.now().getTime()) / 86_400_000)).toBe(14);
    await page.getByRole('button', { name: copy.resume }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(copy.outcomes.resumed);
    expect((await stored())?.preferences.pausedUntil).toBeUndefined();
    await done(context);
  });

  it('changes the language, shows the page in Swedish, Danish and English, and saves a screenshot of each', async () => {
    const { page, context, stored, member } = await openPreferences();
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.setViewportSize({ width: 800, height: 900 });
    for (const language of ['sv', 'da', 'en'] as const) {
      if (language !== member.language || (await stored())?.language !== language) {
        await page.locator(`input[name=language][value=${language}]`).check();
        await page.getByRole('button', { name: PAGE_COPY[(await stored())?.language ?? member.language].save }).click();
        await expect(page.getByRole('status').innerText()).resolves.toBe(PAGE_COPY[language].outcomes.saved);
      }
      expect((await stored())?.language).toBe(language);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
      await expect(page.locator('h1').innerText()).resolves.toContain(PAGE_COPY[language].preferencesTitle('').trim());
      await expectNoAxeViolations(page, `the page in ${language}`);
      await writeFile(join(SCREENSHOTS, `preferences-${language}.png`), await page.screenshot({ fullPage: true }));
    }
    await done(context);
  });

  it('unsubscribes from everything', async () => {
    const { page, context, stored, member } = await openPreferences();
    const copy = PAGE_COPY[member.language];
    await page.getByRole('button', { name: copy.unsubscribeAll }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe(copy.doneTitle);
    await expectNoAxeViolations(page, 'the unsubscribed page');
    expect((await stored())?.subscription).toBe('unsubscribed');
    await done(context);
  });

  it('downloads everything stored about the member as JSON, then erases it after a confirmation', async () => {
    const { page, context, stored, member, demo, token } = await openPreferences();
    const copy = PAGE_COPY[member.language];
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: copy.exportLink }).click(),
    ]);
    const path = await download.path();
    const exported = z
      .object({
        memberId: z.string(),
        member: z.object({ email: z.string(), consent: z.object({ textVersion: z.string() }) }),
        receipts: z.array(z.unknown()),
      })
      .parse(JSON.parse(await readFile(path, 'utf8')));
    expect(exported.memberId).toBe(member.memberId);
    expect(exported.member.email).toBe(member.email);
    expect(exported.receipts.length).toBeGreaterThan(0);

    // Without the tick, the browser itself will not send the form; the tick is what confirms.
    await page.getByRole('button', { name: copy.eraseButton }).click();
    expect(await stored()).toBeDefined();
    await page.getByLabel(copy.eraseConfirm).check();
    await page.getByRole('button', { name: copy.eraseButton }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe(copy.erasedTitle);
    await expectNoAxeViolations(page, 'the erased page');
    expect(await stored()).toBeUndefined();
    expect(await h.deps.purchases.listReceipts(demo.club.clubId, member.memberId)).toEqual([]);
    expect(await h.deps.suppressions.has(demo.club.clubId, member.email)).toBe(true);
    const gone = await page.goto(`${h.urls.http}/p/${token}`);
    expect(gone?.status()).toBe(404);
    await done(context);
  });
});
