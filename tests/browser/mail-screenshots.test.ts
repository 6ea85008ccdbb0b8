import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoBookstoreClub } from '../../bin/demo-bookstore.js';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { type MailOffer, renderMail } from '../../lambdas/core/mail.js';
import { type Club, Emotion, type Language, type Member } from '../../lambdas/core/model.js';
import { browserAvailable, launchChromium } from '../support/browser.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const NOW = new Date('2026-11-23T10:00:00Z');

/** One brand per emotion: the two demo clubs, and four more in their spirit. */
const BRANDS: Record<
  Emotion,
  { name: string; language: Language; colours: Club['brand']['colours']; offersUrl: string }
> = {
  community: {
    name: 'Stadsbutiken Klubb',
    language: 'sv',
    colours: { primary: '#1d6b3a', background: '#f3f7f1', text: '#1a1a1a' },
    offersUrl: 'https://stadsbutiken.example/erbjudanden',
  },
  selected: {
    name: 'Maison Nord',
    language: 'en',
    colours: { primary: '#1c1c1c', background: '#f4f1ea', text: '#1c1c1c' },
    offersUrl: 'https://maison-nord.example/members',
  },
  vitality: {
    name: 'Fart Sport',
    language: 'sv',
    colours: { primary: '#e4572e', background: '#fff7f2', text: '#1b1b1b' },
    offersUrl: 'https://fartsport.example/klubb',
  },
  curiosity: {
    name: 'Boghandlen Læseklub',
    language: 'da',
    colours: { primary: '#1f3a5f', background: '#f7f1e3', text: '#1f2933' },
    offersUrl: 'https://boghandlen.example/tilbud',
  },
  care: {
    name: 'Apoteket Omtanke',
    language: 'sv',
    colours: { primary: '#2f7f8a', background: '#f1f8f8', text: '#1d2b2e' },
    offersUrl: 'https://omtanke.example/medlem',
  },
  celebration: {
    name: 'Festhuset',
    language: 'da',
    colours: { primary: '#b8336a', background: '#fff4f8', text: '#2a1a22' },
    offersUrl: 'https://festhuset.example/fest',
  },
};

function mailFor(emotion: Emotion, firstName = 'Freja') {
  const demo = emotion === 'curiosity' ? demoBookstoreClub(NOW) : demoGroceryClub(NOW);
  const brand = BRANDS[emotion];
  const club: Club = {
    ...demo.club,
    name: brand.name,
    language: brand.language,
    offersUrl: brand.offersUrl,
    brand: { ...demo.club.brand, primaryEmotion: emotion, secondaryEmotions: [], colours: brand.colours },
  };
  const first = demo.members[0];
  if (!first) throw new Error('demo club without members');
  const member: Member = { ...first, firstName, language: brand.language };
  const products = new Map(demo.products.map((p) => [p.productId, p]));
  const whys: MailOffer['why'][] = ['often-bought', 'goes-with', 'popular'];
  const offers: MailOffer[] = demo.offers.slice(0, 3).flatMap((offer, i) => {
    const product = products.get(offer.productId);
    return product ? [{ offer, product, why: whys[i] ?? 'popular' }] : [];
  });
  // The fourth offer rides along from a campaign the budget held back (core/fold.ts).
  const alsoThisWeek =
    offers.length > 0
      ? demo.offers.slice(3, 4).flatMap((offer) => {
          const product = products.get(offer.productId);
          return product ? [{ offer, product, why: 'popular' as const }] : [];
        })
      : [];
  return renderMail({
    club,
    member,
    theme: emotion,
    offers,
    alsoThisWeek,
    links: {
      unsubscribe: 'https://club.example/u/token',
      preferences: 'https://club.example/p/token',
      controls: CONTROL_LINKS,
    },
    variantKey: 'screenshot',
  });
}

const CONTROL_LINKS = {
  fewer: 'https://club.example/c/token/fewer',
  pause: 'https://club.example/c/token/pause',
  'occasions-only': 'https://club.example/c/token/occasions-only',
};

const available = browserAvailable();
let browser: Browser | undefined;
beforeAll(async () => {
  if (available) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.runIf(available)('mail in a real browser', () => {
  it.each(Emotion.options)('renders the %s mail on desktop and phone, and saves screenshots', async (emotion) => {
    if (!browser) throw new Error('no browser');
    const mail = mailFor(emotion);
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const [device, width] of [
      ['desktop', 800],
      ['phone', 375],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.setContent(mail.html);
      // Nothing wider than the screen: the frame shrinks to a phone.
      const overflow = z
        .number()
        .parse(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
      expect(overflow, `${emotion} on ${device}`).toBeLessThanOrEqual(0);
      for (const name of ['unsubscribe', 'preferences']) {
        await expect(
          page.locator(`a[href="https://club.example/${name === 'unsubscribe' ? 'u' : 'p'}/token"]`).isVisible(),
        ).resolves.toBe(true);
      }
      await expect(page.locator(`a[href="${BRANDS[emotion].offersUrl}"]`).isVisible()).resolves.toBe(true);
      // The in-mail controls: visible links, each big enough to tap.
      for (const link of Object.values(CONTROL_LINKS)) {
        await expect(page.locator(`a[href="${link}"]`).isVisible()).resolves.toBe(true);
      }
      await writeFile(join(SCREENSHOTS, `mail-${emotion}-${device}.png`), await page.screenshot({ fullPage: true }));
      await page.close();
    }
  });

  it('runs no script a member name or product name tries to smuggle in', async () => {
    if (!browser) throw new Error('no browser');
    const mail = mailFor('community', '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    const page = await browser.newPage();
    await page.setContent(mail.html);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await expect(page.locator('h1').innerText()).resolves.toContain('<img src=x');
    await page.close();
  });
});
