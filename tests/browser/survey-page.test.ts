import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Language } from '../../lambdas/core/model.js';
import { SURVEY_COPY } from '../../lambdas/core/survey-copy.js';
import { signToken } from '../../lambdas/core/tokens.js';
import { SURVEY_PAGE_COPY } from '../../lambdas/http/pages/survey-copy.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { type Harness, startHarness } from '../support/local-harness.js';
import { createCampaign, surveyClub } from '../support/surveys.js';

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

const CSAT = {
  id: 'csat',
  text: {
    sv: 'Hur nöjd är du med ditt senaste besök?',
    da: 'Hvor tilfreds er du med dit seneste besøg?',
    en: 'How satisfied are you with your last visit?',
  },
  low: { sv: 'mycket missnöjd', da: 'meget utilfreds', en: 'very dissatisfied' },
  high: { sv: 'mycket nöjd', da: 'meget tilfreds', en: 'very satisfied' },
};

/** A survey with all three steps, and a member of it speaking `language`, on the page of the score `score`. */
async function openSurvey(language: Language, options: { score?: number; javaScript?: boolean; phone?: boolean } = {}) {
  if (!browser) throw new Error('no browser');
  const demo = await surveyClub(h, {
    relationshipSampleShare: 1,
    caseOwner: 'Kundtjänst',
    caseDueHours: 48,
    topics: [],
  });
  const clubId = demo.club.clubId;
  const campaignId = await createCampaign(h, clubId, {
    kind: 'survey',
    survey: { type: 'relationship', question: CSAT },
  });
  const member = demo.members.find((m) => m.language === language && m.subscription === 'subscribed');
  if (!member) throw new Error(`no member speaking ${language}`);
  const token = signToken(
    h.tokenKeys,
    { purpose: 'survey', clubId, memberId: member.memberId, campaignId },
    h.clock.now(),
  );
  // The page's CSP allows only its own nonce'd script; the test bypasses it only to inject axe-core.
  const context = await browser.newContext({
    bypassCSP: true,
    javaScriptEnabled: options.javaScript ?? true,
    ...(options.phone ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  await page.goto(`${h.urls.http}/s/${token}${options.score === undefined ? '' : `?score=${options.score}`}`);
  const stored = async () => (await h.deps.surveys.ofMember(clubId, member.memberId))[0];
  return { page, context, stored, clubId, member, copy: SURVEY_COPY[language], pageCopy: SURVEY_PAGE_COPY[language] };
}

async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = Violations.parse(
    await page.evaluate(
      'axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")) })))',
    ),
  );
  expect(violations, `axe on ${state}`).toEqual([]);
}

describe.runIf(available)('the survey page in a real browser', () => {
  it.each(['sv', 'da', 'en'] as const)(
    'is answered with the keyboard alone in %s, one question per step, with no axe violation on any step',
    async (language) => {
      const { page, context, stored, copy, pageCopy } = await openSurvey(language, { score: 8 });
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.setViewportSize({ width: 800, height: 900 });
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
      // Step 1: the question is the legend, with the scale's meaning; the mail's 8 is selected, nothing is recorded.
      await expect(page.locator('legend').innerText()).resolves.toBe(copy.npsQuestion(await clubName(page)));
      await expect(page.locator('h1').innerText()).resolves.toBe(pageCopy.step(1, 3));
      await expect(page.locator('input[name=score][value="8"]').isChecked()).resolves.toBe(true);
      await expectNoAxeViolations(page, `the score step in ${language}`);
      await writeFile(join(SCREENSHOTS, `survey-${language}.png`), await page.screenshot({ fullPage: true }));
      expect(await stored()).toBeUndefined();

      // Tab reaches the checked radio; an arrow key moves to 9; Enter sends the form.
      await page.keyboard.press('Tab');
      await expect(page.evaluate('document.activeElement.value')).resolves.toBe('8');
      await expect(page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).resolves.toBe('solid');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/reason$/);
      expect((await stored())?.response.score).toBe(9);

      // Step 2: the reason, typed, then Tab to Next and Enter.
      await expect(page.locator('h1').innerText()).resolves.toBe(pageCopy.step(2, 3));
      await expectNoAxeViolations(page, `the reason step in ${language}`);
      await page.keyboard.press('Tab');
      await page.keyboard.type('Trevlig personal');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/question$/);

      // Step 3: the club's own question, its scale in the legend.
      await expect(page.locator('legend').innerText()).resolves.toContain(
        `1 = ${CSAT.low[language]}, 5 = ${CSAT.high[language]}`,
      );
      await expectNoAxeViolations(page, `the club's question in ${language}`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Space');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/thanks$/);

      // The thank-you says what happens to the feedback.
      await expect(page.locator('h1').innerText()).resolves.toBe(pageCopy.thanksTitle);
      await expect(page.locator('main').innerText()).resolves.toContain(pageCopy.thanksKept);
      await expectNoAxeViolations(page, `the thank-you in ${language}`);
      await writeFile(join(SCREENSHOTS, `survey-thanks-${language}.png`), await page.screenshot({ fullPage: true }));
      expect((await stored())?.response).toMatchObject({ score: 9, answer: 3, commented: true });
      expect((await stored())?.comment).toBe('Trevlig personal');
      await context.close();
    },
  );

  it('works with JavaScript turned off', async () => {
    const { page, context, stored, pageCopy } = await openSurvey('sv', { score: 2, javaScript: false });
    await page.getByRole('button', { name: pageCopy.next }).click();
    await page.waitForURL(/\/reason$/);
    await page.getByRole('link', { name: pageCopy.skip }).click();
    await page.getByRole('link', { name: pageCopy.skip }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe(pageCopy.thanksTitle);
    // A 2 is followed up: the page says who will call, and when.
    await expect(page.locator('main').innerText()).resolves.toContain('inom 2 dagar');
    expect((await stored())?.response.score).toBe(2);
    await context.close();
  });

  it('records the mail’s score after the page has been visible a few seconds, with its script, and says so', async () => {
    const { page, context, stored, pageCopy } = await openSurvey('en', { score: 10 });
    await expect(page.getByRole('status').innerText()).resolves.toBe('');
    await page.waitForFunction("(document.getElementById('saved')?.textContent ?? '') !== ''", undefined, {
      timeout: 10_000,
    });
    await expect(page.getByRole('status').innerText()).resolves.toBe(pageCopy.scoreSaved);
    expect((await stored())?.response).toMatchObject({
      score: 10,
      votes: [expect.objectContaining({ via: 'script' })],
    });
    await expectNoAxeViolations(page, 'the score step after the script saved');
    await context.close();
  });

  it('fits a phone: nothing wider than the screen, every score a tap target of at least 44 px', async () => {
    const { page, context } = await openSurvey('da', { score: 5, phone: true });
    await expect(page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).resolves.toBe(true);
    const sizes = z
      .array(z.object({ width: z.number(), height: z.number() }))
      .parse(
        await page.evaluate(
          '[...document.querySelectorAll(".option")].map(e => { const r = e.getBoundingClientRect(); return { width: r.width, height: r.height }; })',
        ),
      );
    expect(sizes).toHaveLength(11);
    for (const size of sizes) {
      expect(size.width).toBeGreaterThanOrEqual(44);
      expect(size.height).toBeGreaterThanOrEqual(44);
    }
    await writeFile(join(SCREENSHOTS, 'survey-da-phone.png'), await page.screenshot({ fullPage: true }));
    await context.close();
  });
});

async function clubName(page: Page): Promise<string> {
  return page.locator('header').innerText();
}
