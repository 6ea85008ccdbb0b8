import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { advanceExperimentCount } from '../../lambdas/app/experiment-count.js';
import { readExperimentReport } from '../../lambdas/app/experiment-report.js';
import { armAt, drawOf, Experiment } from '../../lambdas/core/experiment.js';
import { policiesFingerprint } from '../../lambdas/core/experiment-report.js';
import { clubTimeZone } from '../../lambdas/core/local-time.js';
import { Language } from '../../lambdas/core/vocabulary.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { formats } from '../../lambdas/http/console/format.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import {
  consoleMarketer,
  expectNoAxeViolations,
  scriptBytes,
  setLanguage,
  signedInContext,
} from '../support/console-browser.js';
import { type Harness, startHarness, uniqueId } from '../support/local-harness.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
/** The console's budget: under 60 KB of JavaScript on any page. */
const SCRIPT_BUDGET = 60_000;
const DAY = 86_400_000;
const EXPERIMENT = 'leaving-2027';
const ARMS = [
  { armId: 'budget', share: 0.45, policy: { type: 'club-budget' } },
  { armId: 'fixed', share: 0.45, policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } },
  { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
];

const available = browserAvailable();
let browser: Browser | undefined;
let h: Harness;
/** Readable (small minimums, three months in), with the simulator's prediction for its policies. */
let readable: string;
/** Just started with the default minimums (1,000 members, 3 months), its prediction for other policies. */
let early: string;
/** Running, with no prediction stored. */
let unpredicted: string;
/** No experiment at all. */
let without: string;
let admin: BrowserContext;
let viewer: BrowserContext;

/** A demo club whose id puts at least three subscribed members in the 10 % control arm (the draw is a pure hash). */
function clubWithControlMembers(now: Date): DemoClub {
  for (;;) {
    const demo = demoGroceryClub(now, 11, uniqueId('exp-console'));
    const control = demo.members.filter(
      (m) =>
        m.subscription === 'subscribed' && armAt(ARMS, drawOf(demo.club.clubId, EXPERIMENT, m.memberId)) === 'control',
    );
    if (control.length >= 3) return demo;
  }
}

/**
 * A demo club (50 members) with an experiment started `daysAgo` days ago; `leavers` of its
 * subscribed members unsubscribe 35 days after the start, so they left mail in the experiment's second month.
 */
async function clubWithExperiment(options: {
  daysAgo: number;
  leavers: number;
  readableAfter?: { minMembersPerArm: number; minMonths: number };
  prediction?: 'present' | 'stale';
  experiment?: boolean;
}): Promise<string> {
  const now = h.clock.now();
  const demo = clubWithControlMembers(now);
  const clubId = demo.club.clubId;
  const startedAt = new Date(now.getTime() - options.daysAgo * DAY);
  let left = 0;
  const members = demo.members.map((m) => {
    if (m.subscription !== 'subscribed' || Date.parse(m.joinedAt) > startedAt.getTime() || left >= options.leavers)
      return m;
    left += 1;
    return {
      ...m,
      subscription: 'unsubscribed' as const,
      subscriptionChangedAt: new Date(startedAt.getTime() + 35 * DAY).toISOString(),
    };
  });
  expect(left).toBe(options.leavers);
  await seedDemo(h.deps, { ...demo, members });
  if (options.experiment === false) return clubId;
  const experiment = Experiment.parse({
    clubId,
    experimentId: EXPERIMENT,
    status: 'running',
    arms: ARMS,
    readableAfter: options.readableAfter ?? {},
    startedAt: startedAt.toISOString(),
    updatedAt: startedAt.toISOString(),
  });
  await h.deps.experiments.put(experiment);
  if (options.prediction) {
    await h.deps.experiments.putPrediction(clubId, {
      experimentId: experiment.experimentId,
      policies: options.prediction === 'present' ? policiesFingerprint(experiment) : 'other-policies',
      simulator: { members: 1200, weeks: 16, seed: 7, world: 'bench/lib/fatigue demo grocer' },
      arms: ARMS.map((arm, i) => ({
        armId: arm.armId,
        leftShareByMonth: [0.01, 0.03, 0.05, 0.06].map((s) => s * (1 + i)),
        mailsPerMemberPerMonth: 4 - i,
        conversionsPerMemberPerMonth: 0.3,
      })),
      computedAt: now.toISOString(),
    });
  }
  return clubId;
}

beforeAll(async () => {
  if (!available) return;
  h = await startHarness();
  browser = await launchChromium();
  readable = await clubWithExperiment({
    daysAgo: 100,
    leavers: 6,
    readableAfter: { minMembersPerArm: 2, minMonths: 2 },
    prediction: 'present',
  });
  early = await clubWithExperiment({ daysAgo: 40, leavers: 2, prediction: 'stale' });
  unpredicted = await clubWithExperiment({ daysAgo: 40, leavers: 0 });
  without = await clubWithExperiment({ daysAgo: 40, leavers: 0, experiment: false });
  // The figures are counted, not worked out on each view: these two are counted before the pages open
  // (`unpredicted` is counted from its page, in the last test).
  for (const clubId of [readable, early]) await advanceExperimentCount(h.deps, clubId, { budgetMs: 60_000 });
  const clubs = [readable, early, unpredicted, without];
  const anna = await consoleMarketer(h, Object.fromEntries(clubs.map((id) => [id, 'admin'])));
  const vera = await consoleMarketer(h, Object.fromEntries(clubs.map((id) => [id, 'viewer'])));
  [admin, viewer] = await Promise.all([signedInContext(browser, h, anna), signedInContext(browser, h, vera)]);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

async function open(page: Page, clubId: string): Promise<void> {
  const answer = await page.goto(`${h.urls.http}/console/clubs/${clubId}/experiment`);
  expect(answer?.status()).toBe(200);
  await page.waitForLoadState('load');
}

const Rows = z.array(z.array(z.string()));
const rowsOf = async (page: Page, table: string) =>
  Rows.parse(
    await page.evaluate(
      `[...document.querySelectorAll("${table} tbody tr")].map(r => [...r.querySelectorAll("th,td")].map(c => c.innerText.trim()))`,
    ),
  );

describe.runIf(available)('the console’s experiment screen in a real browser', () => {
  it.each(Language.options)(
    'shows the experiment in %s with no axe violations and under 60 KB of JavaScript',
    async (language) => {
      await mkdir(SCREENSHOTS, { recursive: true });
      await setLanguage(admin, h, language);
      const page = await admin.newPage();
      for (const clubId of [readable, early, unpredicted, without]) {
        await open(page, clubId);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
        await expect(page.locator('h1').innerText()).resolves.toBe(COPY[language].experiment.title);
        await expect(page.locator('nav.main a[aria-current=page]').innerText()).resolves.toBe(
          COPY[language].nav.experiment,
        );
        expect(await scriptBytes(page), `${clubId} JavaScript`).toBeLessThan(SCRIPT_BUDGET);
        if (language === 'en' && clubId === readable)
          await page.screenshot({ path: join(SCREENSHOTS, 'console-experiment.png'), fullPage: true });
        await expectNoAxeViolations(page, `experiment of ${clubId} (${language})`);
      }
      await page.close();
    },
  );

  it('draws members who left as SVG from the server, one dot per row of its table, with the prediction dashed beside it', async () => {
    await setLanguage(admin, h, 'en');
    const page = await admin.newPage();
    await open(page, readable);
    const rows = await rowsOf(page, '#experiment-table');
    // Four months (the one it started in, two whole ones, the current one) of three arms.
    expect(rows.length).toBeGreaterThanOrEqual(9);
    const dots = await page.locator('.chart svg g[aria-label=dot] circle').count();
    expect(dots).toBe(rows.length);
    // The current month is not over: its dots are hollow, one per arm.
    const open_ = rows.filter((cells) => cells[0]?.includes(COPY.en.experiment.legendOpen)).length;
    expect(open_).toBe(3);
    await expect(page.locator('.chart svg g[aria-label=dot][fill="#ffffff"] circle').count()).resolves.toBe(open_);
    // A band per arm, and the prediction as one dashed line per arm.
    await expect(page.locator('.chart svg g[aria-label=area] path').count()).resolves.toBe(3);
    await expect(page.locator('.chart svg g[aria-label=line][stroke-dasharray] path').count()).resolves.toBe(3);

    // The table's numbers are the use case's (the same as GET /api/clubs/:club/experiment).
    const report = await readExperimentReport(h.deps, readable);
    const fmt = formats(COPY.en, 'UTC');
    const expected = (report?.months ?? []).flatMap((m) =>
      m.arms.flatMap((a) => (a.left === null ? [] : [[a.armId, fmt.number(a.members), fmt.percent(a.left.estimate)]])),
    );
    expect(rows.map((cells) => [cells[1], cells[2], cells[3]?.split(/\s/)[0]])).toEqual(expected);
    const leavers = (report?.months ?? []).flatMap((m) => m.arms).reduce((n, a) => Math.max(n, a.left?.count ?? 0), 0);
    expect(leavers).toBeGreaterThan(0);
    await expect(page.locator('#experiment-readability').innerText()).resolves.toBe(COPY.en.experiment.readable);
    // Differences from the budget arm: the two other arms in every month.
    await expect(rowsOf(page, '#experiment-differences-table')).resolves.toHaveLength((report?.months.length ?? 0) * 2);
    await expect(page.locator('#experiment-prediction-table tbody tr').count()).resolves.toBe(3);
    await expect(page.locator('#experiment-prediction-state').count()).resolves.toBe(0);
    await page.close();
  });

  it('says the result is not yet readable until the minimum members and months stated in advance, and when the prediction is stale or missing', async () => {
    await setLanguage(admin, h, 'en');
    const page = await admin.newPage();
    const copy = COPY.en.experiment;
    await open(page, early);
    const note = await page.locator('#experiment-readability').innerText();
    expect(note).toContain(copy.notYet);
    const report = await readExperimentReport(h.deps, early);
    expect(report?.readability.readable).toBe(false);
    expect(note).toContain(copy.missingMonths('3', String(report?.readability.monthsComplete)));
    expect(note).toMatch(/Every arm needs 1,000 members and the smallest has \d+\./);
    await expect(page.locator('#experiment-prediction-state').innerText()).resolves.toBe(copy.predictionStale);
    await open(page, unpredicted);
    await expect(page.locator('#experiment-prediction-state').innerText()).resolves.toBe(copy.predictionMissing);
    await expect(page.locator('.chart svg g[stroke-dasharray]').count()).resolves.toBe(0);
    await open(page, without);
    await expect(page.locator('#experiment-none').innerText()).resolves.toBe(copy.none);
    await page.close();
  });

  it('lets a viewer read the experiment from the navigation, with nothing to change on it', async () => {
    await setLanguage(viewer, h, 'sv');
    const page = await viewer.newPage();
    await page.goto(`${h.urls.http}/console/clubs/${readable}/calendar`);
    await page.locator('nav.main a', { hasText: COPY.sv.nav.experiment }).click();
    await page.waitForURL(/\/experiment$/);
    await expect(page.locator('h1').innerText()).resolves.toBe(COPY.sv.experiment.title);
    await expect(page.locator('#experiment-readability').innerText()).resolves.toBe(COPY.sv.experiment.readable);
    const rows = await rowsOf(page, '#experiment-table');
    await expect(page.locator('.chart svg g[aria-label=dot] circle').count()).resolves.toBe(rows.length);
    // The one form counts the figures again (it writes only the report's count); nothing changes the experiment.
    await expect(page.locator('main form:not([action$="/experiment/count"])').count()).resolves.toBe(0);
    await page.close();
  });

  it('counts the members from the page (a viewer may) and says as of when', async () => {
    await setLanguage(viewer, h, 'en');
    const page = await viewer.newPage();
    const copy = COPY.en.experiment;
    await open(page, unpredicted);
    await expect(page.locator('#experiment-counted-at').innerText()).resolves.toBe(copy.notCounted);
    await expect(rowsOf(page, '#experiment-table')).resolves.toEqual([]);
    await page.getByRole('button', { name: copy.count }).click();
    await page.locator('#experiment-counted-at', { hasText: 'Figures as of' }).waitFor({ timeout: 30_000 });
    const report = await readExperimentReport(h.deps, unpredicted);
    expect(report?.countedAt).not.toBeNull();
    const club = await h.deps.clubs.getClub(unpredicted);
    const fmt = formats(COPY.en, club ? clubTimeZone(club) : 'UTC');
    await expect(page.locator('#experiment-counted-at').innerText()).resolves.toBe(
      copy.countedAt(fmt.dateTime(report?.countedAt ?? '')),
    );
    const rows = await rowsOf(page, '#experiment-table');
    expect(rows.map((cells) => cells[1])).toEqual(
      (report?.months ?? []).flatMap((m) => m.arms.filter((a) => a.left !== null).map((a) => a.armId)),
    );
    expect(rows.length).toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: copy.recount }).count()).resolves.toBe(1);
    await expectNoAxeViolations(page, 'experiment counted from its page');
    await page.close();
  });
});
