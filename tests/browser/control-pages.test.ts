import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { MailControl } from '../../lambdas/core/mail-controls.js';
import { Language } from '../../lambdas/core/model.js';
import { signToken } from '../../lambdas/core/tokens.js';
import { CONTROL_COPY } from '../../lambdas/http/pages/control-copy.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import { createCampaign } from '../support/surveys.js';

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

async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = Violations.parse(
    await page.evaluate(
      'axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")) })))',
    ),
  );
  expect(violations, `axe on ${state}`).toEqual([]);
}

describe.runIf(available)('the control pages in a real browser', () => {
  it('ask and confirm each control in Swedish, Danish and English with no axe violation, by keyboard alone, with screenshots', async () => {
    if (!browser) throw new Error('no browser');
    const demo = demoGroceryClub(h.clock.now(), 11, uniqueId('ctl'));
    await seedDemo(h.deps, demo);
    const clubId = demo.club.clubId;
    const campaignId = await createCampaign(h, clubId, {
      name: 'Weekend',
      theme: 'community',
      offerPool: demo.offers.slice(0, 3).map((o) => o.offerId),
    });
    // The page's CSP allows no script at all; the test bypasses it only to inject axe-core.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const language of Language.options) {
      const members = demo.members.filter((m) => m.language === language && m.subscription === 'subscribed');
      const copy = CONTROL_COPY[language];
      for (const [i, control] of MailControl.options.entries()) {
        const member = members[i];
        if (!member) throw new Error(`too few ${language} members`);
        const token = signToken(
          h.tokenKeys,
          { purpose: 'control', clubId, memberId: member.memberId, campaignId },
          h.clock.now(),
        );
        await page.goto(`${h.urls.http}/c/${token}/${control}`);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        expect(await page.textContent('h1')).toBe(copy.controls[control].title);
        await expectNoAxeViolations(page, `${control} in ${language}, asking`);
        if (control === 'pause') {
          await writeFile(
            join(SCREENSHOTS, `control-pause-${language}.png`),
            await page.screenshot({ fullPage: true }),
          );
        }

        // Keyboard alone: the first Tab reaches the one button, with a visible focus ring; Enter posts it.
        await page.keyboard.press('Tab');
        expect(await page.evaluate('document.activeElement?.tagName')).toBe('BUTTON');
        expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        const status = page.locator('[role=status]');
        expect(await status.textContent()).toContain(copy.controls[control].done('').split(' ')[0] ?? '');
        expect(await page.getAttribute(`a:text("${copy.morePreferences}")`, 'href')).toMatch(/^\/p\//);
        await expectNoAxeViolations(page, `${control} in ${language}, done`);
        if (control === 'pause') {
          await writeFile(join(SCREENSHOTS, `control-done-${language}.png`), await page.screenshot({ fullPage: true }));
        }
        const state = await h.deps.members.getState(clubId, member.memberId);
        expect(state?.member.preferences.updatedVia).toBe('mail-control');
      }
    }
    await context.close();
  });
});
