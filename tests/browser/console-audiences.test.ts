import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { buildAudienceFacts } from '../../lambdas/app/audience-estimate.js';
import { Language } from '../../lambdas/core/vocabulary.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { consoleMarketer, expectNoAxeViolations, scriptBytes, signedInContext } from '../support/console-browser.js';
import { createCampaign } from '../support/console-club.js';
import { callApi, type Harness, startHarness, uniqueId } from '../support/local-harness.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
/** The console's budget: under 60 KB of JavaScript on any page. */
const SCRIPT_BUDGET = 60_000;
const en = COPY.en;
const HOME_STORE = { name: 'home_store', type: 'enum', values: ['uppsala', 'malmo', 'lund'] } as const;
const SIZE = { name: 'household_size', type: 'number' } as const;

const available = browserAvailable();
let browser: Browser | undefined;
let h: Harness;
let clubId: string;
let uppsala: number;
let members: number;
let campaignId: string;
let people: Record<'viewer' | 'editor', { email: string; password: string }>;
const SAVED = 'uppsala-store';

beforeAll(async () => {
  if (!available) return;
  [h, browser] = await Promise.all([startHarness(), launchChromium()]);
  clubId = uniqueId('audclub');
  const demo = demoGroceryClub(h.clock.now(), 11, clubId);
  await seedDemo(h.deps, demo);
  const api = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);
  const { clubId: _id, createdAt: _at, ...settings } = demo.club;
  expect((await api('PUT', `/clubs/${clubId}`, { ...settings, attributes: [HOME_STORE, SIZE] })).status).toBe(200);
  const storeOf = (i: number) => HOME_STORE.values[i % 3] ?? 'lund';
  const records = demo.members.map(({ clubId: _club, ...member }, i) => ({
    ...member,
    attributes: { home_store: storeOf(i), household_size: 1 + (i % 4) },
  }));
  expect((await api('POST', `/clubs/${clubId}/members`, { members: records })).status).toBe(200);
  members = demo.members.length;
  uppsala = demo.members.filter((_, i) => storeOf(i) === 'uppsala').length;
  const saved = await api('PUT', `/clubs/${clubId}/audiences/${SAVED}`, {
    name: 'Uppsala store',
    description: 'Members whose home store is Uppsala',
    rule: {
      rule: 'all',
      of: [
        { rule: 'attribute', name: 'home_store', equals: 'uppsala' },
        { rule: 'not', of: { rule: 'joined', withinDays: 7 } },
      ],
    },
  });
  expect(saved.status).toBe(201);
  await buildAudienceFacts(h.deps, clubId);
  campaignId = await createCampaign(h, clubId, {
    name: 'Butiksöppning',
    theme: 'community',
    offerPool: demo.offers.slice(0, 5).map((o) => o.offerId),
    sendAt: new Date(h.clock.now().getTime() + 5 * 86_400_000).toISOString(),
  });
  people = {
    viewer: await consoleMarketer(h, { [clubId]: 'viewer' }),
    editor: await consoleMarketer(h, { [clubId]: 'editor' }),
  };
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const url = (path: string) => `${h.urls.http}/console/clubs/${clubId}/${path}`;

async function context(who: 'viewer' | 'editor', options: { language?: Language; javaScript?: boolean } = {}) {
  if (!browser) throw new Error('no browser');
  return signedInContext(browser, h, people[who], options);
}

/**
 * Until htmx has settled a swap, the new form's select has no htmx listener yet (its `htmx-added`
 * class goes when htmx processes it): a key pressed in that window changes the select and nothing else.
 * The console settles at once (layout.tsx); the tests still wait for no request in flight.
 */
async function htmxSettled(page: Page): Promise<void> {
  await page.waitForFunction("document.querySelector('.htmx-added, .htmx-settling, .htmx-request') === null");
}

async function open(page: Page, path: string): Promise<void> {
  const answer = await page.goto(url(path));
  expect(answer?.status(), path).toBe(200);
}

const Focused = z.object({ id: z.string(), tag: z.string() });
async function focused(page: Page) {
  return Focused.parse(
    await page.evaluate('({ id: document.activeElement?.id ?? "", tag: document.activeElement?.tagName ?? "" })'),
  );
}
async function tabTo(page: Page, id: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page)).id === id) return;
  }
  throw new Error(`Tab never reached #${id}`);
}

describe.runIf(available)('the audience builder in a real browser', () => {
  it.each(Language.options)(
    'shows the audiences and the builder in %s with no axe violations, with and without JavaScript, under 60 KB of JavaScript',
    async (language) => {
      const copy = COPY[language];
      const withScript = await context('editor', { language });
      const page = await withScript.newPage();
      for (const path of ['audiences', 'new-audience', `audiences/${SAVED}`]) {
        await open(page, path);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
        await expect(page.locator('nav.main').innerText()).resolves.toContain(copy.nav.audiences);
        expect(await scriptBytes(page), `${path} JavaScript`).toBeLessThan(SCRIPT_BUDGET);
        if (path !== 'audiences') {
          await expect(page.locator('#diets-heading').innerText()).resolves.toBe(copy.audiences.dietsTitle);
          // No condition kind, attribute or field in the builder is about diets.
          await expect(page.locator('#audience-form').innerText()).resolves.not.toMatch(/diet|allerg|gluten|lactose/i);
        }
        if (path === `audiences/${SAVED}`) {
          await expect(page.locator('#audience-count').innerText()).resolves.toContain(
            copy.audiences.counted(String(uppsala), String(members)),
          );
          if (language === 'en') {
            await mkdir(SCREENSHOTS, { recursive: true });
            await page.screenshot({ path: join(SCREENSHOTS, 'console-audiences.png'), fullPage: true });
          }
        }
        await expectNoAxeViolations(page, `${path} (${language}, JavaScript)`);
      }
      // Without JavaScript: a rule with mistakes comes back from the server with each problem at its field.
      const noScript = await context('editor', { language, javaScript: false });
      const plain = await noScript.newPage();
      await open(plain, 'new-audience');
      await plain.locator('#c0-kind').selectOption('bought');
      await plain.getByRole('button', { name: copy.audiences.showFields }).click();
      await plain.locator('#c0-days').fill('9999');
      await plain.getByRole('button', { name: copy.audiences.saveAudience }).last().click();
      await expect(plain.locator('[role=alert]').innerText()).resolves.toContain('rule.of[0].withinDays');
      await expect(plain.locator('#c0-days').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(plain.locator('#name-error').innerText()).resolves.toContain('name');
      const html = await plain.content();
      await noScript.close();
      // axe needs script: the very page the server sent without it, shown in a page that can run axe.
      const replayed = url('new-audience?no-script-replay');
      await page.route(
        (u) => u.href === replayed,
        (route) => route.fulfill({ body: html, contentType: 'text/html' }),
      );
      await page.goto(replayed);
      await expectNoAxeViolations(page, `builder with errors, no JavaScript (${language})`);
      await withScript.close();
    },
  );

  it('takes a second change of a condition’s kind made right after the first one’s form arrived', async () => {
    const editor = await context('editor');
    const page = await editor.newPage();
    await open(page, 'new-audience');
    const kinds = z
      .array(z.string())
      .parse(await page.evaluate('[...document.querySelectorAll("#c0-kind option")].map(o => o.value)'));
    const current = await page.locator('#c0-kind').inputValue();
    const [first, second] = kinds.filter((k) => k !== current);
    if (!first || !second) throw new Error('the builder offers too few kinds');
    // As a quick hand would: the moment the new form is in (a task after htmx swapped it), change the kind again.
    await page.evaluate(`(() => {
      window.kindRequests = 0;
      document.body.addEventListener('htmx:beforeRequest', (e) => {
        if (e.detail.elt.id === 'c0-kind') window.kindRequests += 1;
      });
      let again = true;
      document.body.addEventListener('htmx:afterSwap', () => {
        if (!again) return;
        again = false;
        setTimeout(() => {
          const select = document.getElementById('c0-kind');
          select.value = ${JSON.stringify(second)};
          select.dispatchEvent(new Event('change', { bubbles: true }));
        }, 0);
      });
    })()`);
    await page.selectOption('#c0-kind', first);
    await page.waitForFunction('window.kindRequests === 2', undefined, { timeout: 10_000 });
    await htmxSettled(page);
    await expect(page.locator('#c0-kind').inputValue()).resolves.toBe(second);
    await editor.close();
  });

  // A flow of a dozen keyboard steps and two counts: 30 s is too little on a loaded machine, as console-keyboard.
  it('builds an audience with the keyboard alone and sees its count update before saving it', async () => {
    const editor = await context('editor', { language: 'en' });
    const page = await editor.newPage();
    await open(page, 'new-audience');
    await tabTo(page, 'name');
    await page.keyboard.type('Uppsala, by keyboard');
    // Another kind brings its own fields (htmx swaps the form; the focus stays on the kind), and back.
    await tabTo(page, 'c0-kind');
    await page.keyboard.press('ArrowDown');
    await page.locator('#c0-item').waitFor();
    await htmxSettled(page);
    expect((await focused(page)).id).toBe('c0-kind');
    await page.keyboard.press('ArrowUp');
    await page.locator('#c0-attribute').waitFor();
    await htmxSettled(page);
    expect((await focused(page)).id).toBe('c0-kind');
    await tabTo(page, 'c0-attribute');
    // A closed select takes arrow keys: the first attribute after "Choose…" is the home store.
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('#c0-attribute').inputValue()).resolves.toBe('home_store');
    // With no value yet the rule is not whole: the count says so.
    await expect
      .poll(() => page.locator('#audience-count').innerText(), { timeout: 15_000 })
      .toContain(en.audiences.notCounted);
    await tabTo(page, 'c0-value');
    await page.keyboard.type('uppsala');
    await expect
      .poll(() => page.locator('#audience-count').innerText(), { timeout: 15_000 })
      .toContain(en.audiences.counted(String(uppsala), String(members)));
    // Enter in a field saves the audience (the form's first button).
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/audiences\/aud-[^/?]+\?done=created/);
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.audiences.created);
    const stored = (await h.deps.clubs.listAudiences(clubId)).find((a) => a.name === 'Uppsala, by keyboard');
    expect(stored?.rule).toEqual({ rule: 'all', of: [{ rule: 'attribute', name: 'home_store', equals: 'uppsala' }] });
    await editor.close();
  }, 120_000);

  it('shows a viewer no edit controls, and refuses the builder forms a viewer posts anyway', async () => {
    const viewer = await context('viewer', { language: 'en' });
    const page = await viewer.newPage();
    await open(page, 'audiences');
    await expect(page.getByRole('link', { name: en.audiences.newAudience }).count()).resolves.toBe(0);
    await open(page, `audiences/${SAVED}`);
    await expect(page.locator('main').innerText()).resolves.toContain(en.audiences.readOnly);
    await expect(page.locator('main form, main select, main input, main textarea, main button').count()).resolves.toBe(
      0,
    );
    await expect(page.locator('#audience-count').innerText()).resolves.toContain(
      en.audiences.counted(String(uppsala), String(members)),
    );
    const before = await h.deps.clubs.listAudiences(clubId);
    for (const target of [url(`audiences/${SAVED}`), url('audiences')]) {
      await open(page, 'audiences');
      // The builder's own form, as the editor's page has it, posted from the viewer's page with the viewer's token.
      await page.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = ${JSON.stringify(target)};
        const token = document.querySelector('input[name=_csrf]').value;
        for (const [name, value] of [['_csrf', token], ['action', 'save'], ['name', 'Taken over'], ['combine', 'all'],
            ['c0.kind', 'engagement'], ['c0.state', 'passive']]) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      })()`);
      await page.waitForLoadState('load');
      await expect(page.locator('h1').innerText()).resolves.toBe(en.forbiddenTitle);
    }
    const answer = await page.goto(url('new-audience'));
    expect(answer?.status()).toBe(403);
    expect(await h.deps.clubs.listAudiences(clubId)).toEqual(before);
    await viewer.close();
  });

  it('picks a saved audience in the campaign editor, shows it on the campaign page and first in the waterfall, and picks everyone again', async () => {
    const editor = await context('editor', { language: 'en', javaScript: false });
    const page = await editor.newPage();
    await open(page, `campaigns/${campaignId}/edit`);
    await page.getByLabel(en.audiences.campaignAudience, { exact: true }).selectOption(SAVED);
    await page.getByRole('button', { name: en.editor.saveChanges }).last().click();
    await expect(page.locator('#campaign-audience').innerText()).resolves.toBe('Uppsala store');
    expect((await h.deps.campaigns.getCampaign(clubId, campaignId))?.audienceId).toBe(SAVED);
    // Who gets it: the members outside the audience are the waterfall's first step after all members.
    await page.getByRole('link', { name: en.campaign.dryRun }).click();
    await page.getByRole('button', { name: en.explorer.start }).click();
    for (let i = 0; i < 20 && (await page.getByRole('button', { name: en.explorer.continue }).count()) > 0; i++) {
      await page.getByRole('button', { name: en.explorer.continue }).click();
    }
    const steps = page.locator('#explorer table').first().locator('tbody tr');
    await expect(steps.nth(0).innerText()).resolves.toContain(en.explorer.steps.members);
    await expect(steps.nth(1).innerText()).resolves.toContain(en.explorer.steps.audience);
    await expect(steps.nth(1).innerText()).resolves.toContain(en.reasons['not-in-audience']);
    await open(page, `campaigns/${campaignId}/edit`);
    await expect(page.getByLabel(en.audiences.campaignAudience, { exact: true }).inputValue()).resolves.toBe(SAVED);
    await page.getByLabel(en.audiences.campaignAudience, { exact: true }).selectOption('');
    await page.getByRole('button', { name: en.editor.saveChanges }).last().click();
    await expect(page.locator('#campaign-audience').innerText()).resolves.toBe(en.audiences.everyone);
    expect((await h.deps.campaigns.getCampaign(clubId, campaignId))?.audienceId).toBeUndefined();
    await editor.close();
  });
});
