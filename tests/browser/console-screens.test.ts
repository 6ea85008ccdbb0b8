import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Language } from '../../lambdas/core/vocabulary.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import {
  consoleMarketer,
  expectNoAxeViolations,
  scriptBytes,
  setLanguage,
  signedInContext,
} from '../support/console-browser.js';
import { type ConsoleClub, consoleClub, seedNps } from '../support/console-club.js';
import { callApi, type Harness, startHarness } from '../support/local-harness.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
/** The budget: under 60 KB of JavaScript on any console page. */
const SCRIPT_BUDGET = 60_000;

const available = browserAvailable();
let browser: Browser | undefined;
let h: Harness;
let club: ConsoleClub;
let admin: BrowserContext;

beforeAll(async () => {
  if (!available) return;
  h = await startHarness();
  [club, browser] = await Promise.all([consoleClub(h), launchChromium()]);
  await seedNps(h, club.clubId);
  const anna = await consoleMarketer(h, { [club.clubId]: 'admin' });
  admin = await signedInContext(browser, h, anna);
  // The explorer and the report are worked out once; every language reads the same snapshots.
  const page = await admin.newPage();
  for (const path of [`campaigns/${club.sent}/dry-run`, `campaigns/${club.sent}/report`]) {
    await page.goto(`${h.urls.http}/console/clubs/${club.clubId}/${path}`);
    await page.locator('#explorer button, #report button').first().click();
    await page.waitForSelector('#explorer[aria-busy=false] table, #report[aria-busy=false] table', { timeout: 30_000 });
  }
  await page.close();
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** Every console screen: its path below the club, and its screenshot's name. */
const screens = () => {
  const campaign = `campaigns/${club.sent}`;
  const mailed = club.demo.members[0]?.memberId ?? '';
  return [
    { name: 'calendar', path: 'calendar' },
    { name: 'calendar-month', path: 'calendar?view=month' },
    { name: 'campaigns', path: 'campaigns' },
    { name: 'editor', path: 'new-campaign' },
    { name: 'approval', path: `campaigns/${club.submitted}` },
    { name: 'campaign', path: campaign },
    { name: 'preview', path: `${campaign}/preview?member=${mailed}` },
    { name: 'preview-held-back', path: `campaigns/${club.scheduled[0]}/preview?member=${mailed}` },
    { name: 'dry-run', path: `${campaign}/dry-run` },
    { name: 'dry-run-reason', path: `${campaign}/dry-run?reason=holdout` },
    { name: 'report', path: `${campaign}/report` },
    { name: 'nps', path: 'nps' },
    { name: 'settings', path: 'settings' },
    {
      name: 'settings-preview',
      path: 'settings',
      act: async (page: Page) => {
        await page.locator('input[name=windowMax0]').fill('2');
        await page.locator('button[value=preview]').click();
        await page.waitForSelector('#preview-heading');
      },
    },
    { name: 'team', path: 'team' },
    { name: 'audit', path: 'audit' },
    { name: 'imports', path: 'imports' },
  ];
};

async function open(page: Page, path: string): Promise<void> {
  const answer = await page.goto(`${h.urls.http}/console/clubs/${club.clubId}/${path}`);
  expect(answer?.status(), path).toBe(200);
  await page.waitForLoadState('load');
}

describe.runIf(available)('the console in a real browser', () => {
  it.each(Language.options)(
    'shows every screen in %s with no axe violations and under 60 KB of JavaScript',
    async (language) => {
      await mkdir(SCREENSHOTS, { recursive: true });
      {
        await setLanguage(admin, h, language);
        const page = await admin.newPage();
        for (const screen of screens()) {
          await open(page, screen.path);
          await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
          await expect(page.locator('nav.main').innerText()).resolves.toContain(COPY[language].nav.campaigns);
          expect(await scriptBytes(page), `${screen.name} JavaScript`).toBeLessThan(SCRIPT_BUDGET);
          if (language === 'en' && !screen.name.endsWith('-reason')) {
            await page.screenshot({ path: join(SCREENSHOTS, `console-${screen.name}.png`), fullPage: true });
          }
          await expectNoAxeViolations(page, `${screen.name} (${language})`);
        }
        await page.close();
      }
    },
  );

  it('draws the reach waterfall and the report per day as SVG from the server, with the same numbers in tables', async () => {
    await setLanguage(admin, h, 'en');
    const page = await admin.newPage();
    await open(page, `campaigns/${club.sent}/dry-run`);
    const bars = await page.locator('.chart svg a').count();
    expect(bars).toBe(10);
    const mailedRow = page.locator('#explorer table').first().locator('tr', { hasText: COPY.en.explorer.steps.mailed });
    const tally = await h.deps.snapshots.getHeader(club.clubId, 'dry-run', club.sent);
    expect(tally).toBeDefined();
    await expect(mailedRow.innerText()).resolves.toMatch(/\d+/);
    // No chart library reached the browser: the only script is htmx.
    const scripts = await page.evaluate('[...document.scripts].map(s => s.src)');
    expect(scripts).toEqual([expect.stringMatching(/\/console\/assets\/htmx-2\.0\.11\.min\.js$/)]);
    await open(page, `campaigns/${club.sent}/report`);
    await expect(page.locator('.chart svg').count()).resolves.toBe(1);
    const converted = page
      .locator('#report table')
      .first()
      .locator('tr', { hasText: COPY.en.report.metrics.converted });
    await expect(converted.innerText()).resolves.toMatch(/6\s/);
    await page.close();
  });

  it("shows on a sent campaign's page who got it, and every reason a member did not, as the campaign's report counts them", async () => {
    await setLanguage(admin, h, 'en');
    const page = await admin.newPage();
    await open(page, `campaigns/${club.sent}`);
    const answer = await callApi(h.urls.http, 'GET', `/clubs/${club.clubId}/campaigns/${club.sent}`);
    const { report } = z
      .object({
        report: z.object({
          planned: z.number(),
          toSend: z.number(),
          sent: z.number(),
          suppressed: z.record(z.string(), z.number()),
          dropped: z.record(z.string(), z.number()),
        }),
      })
      .parse(answer.json);
    const words = COPY.en.campaign.outcome;
    const fact = (term: string) =>
      page.locator('#outcome dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
    await expect(fact(words.planned).innerText()).resolves.toBe(report.planned.toLocaleString('en'));
    await expect(fact(words.toSend).innerText()).resolves.toBe(report.toSend.toLocaleString('en'));
    await expect(fact(words.sent).innerText()).resolves.toBe(report.sent.toLocaleString('en'));
    const rows = z
      .array(z.array(z.string()))
      .parse(
        await page.evaluate(
          '[...document.querySelectorAll("#outcome tbody tr")].map(r => [...r.children].map(c => c.textContent.trim()))',
        ),
      );
    const atPlan = Object.values(report.suppressed).filter((n) => n > 0);
    expect(rows.map((cells) => Number(cells[1]))).toEqual(expect.arrayContaining(atPlan));
    expect(rows.reduce((sum, cells) => sum + Number(cells[1]), 0)).toBe(report.planned - report.toSend);
    expect(rows.reduce((sum, cells) => sum + Number(cells[2]), 0)).toBe(
      Object.values(report.dropped).reduce((sum, n) => sum + n, 0),
    );
    // Every reason is named in words, none by its code.
    for (const [name] of rows) expect(name).not.toMatch(/^[a-z]+(-[a-z]+)+$/);
    expect(rows.some(([name]) => name === COPY.en.reasons.holdout)).toBe(true);
    await page.close();
  });

  it('draws the NPS rolling windows as SVG from the server, a dot per row of its table, hollow where too few to read', async () => {
    await setLanguage(admin, h, 'en');
    const page = await admin.newPage();
    await open(page, 'nps');
    // Each row: its cells' texts (answers, NPS, margin, interval, readable, change); a window without answers has no NPS and no dot.
    const rows = z
      .array(z.array(z.string()))
      .parse(
        await page.evaluate(
          '[...document.querySelectorAll("#nps-series-table tbody tr")].map(r => [...r.querySelectorAll("td")].map(td => td.textContent.trim()))',
        ),
      );
    expect(rows.length).toBeGreaterThan(40);
    const withFigure = rows.filter((cells) => cells[1] !== '');
    const count = withFigure.length;
    const tooFew = withFigure.filter((cells) => cells[4] === COPY.en.no).length;
    // The seeded club's first three months have a quarter of the answers: their windows are too few to read.
    expect(tooFew).toBeGreaterThan(0);
    expect(tooFew).toBeLessThan(count);
    // Plot sets a mark's fill on its group: filled dots in the line's colour, hollow ones in white.
    const hollow = await page.locator('.chart svg g[fill="#ffffff"] circle').count();
    const filled = await page.locator('.chart svg g[fill="#1b4fbf"] circle').count();
    expect(hollow).toBe(tooFew);
    expect(hollow + filled).toBe(count);
    // The figure and its margin, the confidence band, segments and the follow-up queue with an overdue case.
    await expect(page.locator('#nps-period + p.figure').innerText()).resolves.toMatch(/^NPS -?[\d.]+ ± [\d.]+/);
    await expect(page.locator('.chart svg g[aria-label=area] path').count()).resolves.toBe(1);
    await expect(page.locator('section[aria-labelledby=nps-segments] caption').allInnerTexts()).resolves.toEqual([
      COPY.en.nps.segment('engagement'),
      COPY.en.nps.segment('homeStore'),
    ]);
    await expect(page.locator('#nps-cases-table tbody tr').count()).resolves.toBe(3);
    await expect(page.locator('#nps-cases-table').innerText()).resolves.toContain(COPY.en.nps.overdue);
    // An admin may move a case on: the button posts the console's own form.
    await page.locator('#nps-cases-table button', { hasText: COPY.en.nps.markResolved }).first().click();
    await page.waitForURL(/done=moved/);
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(COPY.en.nps.moved);
    await expect(page.locator('#nps-cases-table tbody tr').count()).resolves.toBe(2);
    await page.close();
  });
});
