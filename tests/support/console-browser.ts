import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { z } from 'zod';
import type { ClubRole } from '../../lambdas/core/roles.js';
import type { Language } from '../../lambdas/core/vocabulary.js';
import { type Harness, uniqueId } from './local-harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const Violations = z.array(z.object({ id: z.string(), help: z.string(), nodes: z.array(z.string()) }));

/** A marketer with roles, made at the harness's issuer. */
export async function consoleMarketer(
  h: Harness,
  roles: Readonly<Record<string, ClubRole>>,
): Promise<{ email: string; password: string; sub: string }> {
  const email = `${uniqueId('marketer')}@marketers.example`;
  const password = `${uniqueId('pw')}-Aa1!`;
  const user = await h.identity.users.upsert(email, password, []);
  for (const [clubId, role] of Object.entries(roles)) {
    await h.deps.roles.put({
      clubId,
      userId: user.sub,
      email,
      role,
      grantedBy: 'test',
      grantedAt: h.clock.now().toISOString(),
    });
  }
  return { email, password, sub: user.sub };
}

/** A browser context signed in to the console through the issuer's form, in `language`. */
export async function signedInContext(
  browser: Browser,
  h: Harness,
  who: { email: string; password: string },
  options: { language?: Language; javaScript?: boolean } = {},
): Promise<BrowserContext> {
  // bypassCSP only lets the test inject axe-core; the pages' own policy is asserted elsewhere.
  const context = await browser.newContext({
    bypassCSP: true,
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  if (options.language) await setLanguage(context, h, options.language);
  const page = await context.newPage();
  await page.goto(`${h.urls.http}/console/`);
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/console\/clubs\//);
  await page.close();
  return context;
}

/** The marketer's language choice, as the language form stores it. */
export async function setLanguage(context: BrowserContext, h: Harness, language: Language): Promise<void> {
  await context.addCookies([{ name: 'cp-lang', value: language, url: `${h.urls.http}/console` }]);
}

/** axe-core on the page as it is now: any violation fails, named with its rule and nodes. */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = Violations.parse(
    await page.evaluate(
      'axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")) })))',
    ),
  );
  expect(violations, `axe on ${state}`).toEqual([]);
}

/** Bytes of JavaScript the page loaded (decoded), before axe is injected. */
export async function scriptBytes(page: Page): Promise<number> {
  return z
    .number()
    .parse(
      await page.evaluate(
        'performance.getEntriesByType("resource").filter(e => e.initiatorType === "script" || e.name.endsWith(".js")).reduce((n, e) => n + e.decodedBodySize, 0) + [...document.scripts].filter(s => !s.src).reduce((n, s) => n + s.text.length, 0)',
      ),
    );
}
