import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium: `.ci/run` installs it (apt-get install -y chromium). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run here. In CI (`CI` set, as `.ci/run` does) a missing chromium is a
 * failure, never a silent skip; on a developer machine without it the browser tests are skipped with
 * a message saying how to get it.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) throw new Error(`chromium not found at ${CHROMIUM_PATH}; .ci/run installs it with apt-get`);
  console.warn(`Browser tests skipped: no chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium).`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
