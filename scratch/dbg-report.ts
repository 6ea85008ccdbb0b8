import { launchChromium } from '../tests/support/browser.js';
import { consoleMarketer, signedInContext } from '../tests/support/console-browser.js';
import { consoleClub } from '../tests/support/console-club.js';
import { startHarness } from '../tests/support/local-harness.js';
const h = await startHarness({ log: { info: () => {}, warn: console.warn, error: (m, f) => console.error(m, f) } });
const club = await consoleClub(h);
const browser = await launchChromium();
const anna = await consoleMarketer(h, { [club.clubId]: 'admin' });
const ctx = await signedInContext(browser, h, anna);
const page = await ctx.newPage();
for (const path of [`campaigns/${club.sent}/dry-run`, `campaigns/${club.sent}/report`]) {
  await page.goto(`${h.urls.http}/console/clubs/${club.clubId}/${path}`);
  await page.locator('#explorer button, #report button').first().click();
  await page.waitForTimeout(4000);
  console.log(page.url(), (await page.locator('main').innerText()).slice(0, 1500));
}
await browser.close(); await h.stop();
