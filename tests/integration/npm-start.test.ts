import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoBookstoreClub } from '../../bin/demo-bookstore.js';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { CHROME_COPY } from '../../lambdas/core/copy.js';
import { checkEligibility } from '../../lambdas/core/eligibility.js';
import type { Member } from '../../lambdas/core/model.js';
import { signInToConsole } from '../support/console-session.js';
import { header, type StoredEmail, sesInbox } from '../support/local-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'club-planner-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  output(): string;
  waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray>;
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` exactly as the README says, on free ports and a throwaway data folder. */
function npmStart(): Running {
  const child = spawn('npm', ['start'], {
    env: {
      ...process.env,
      CLUB_PLANNER_DATA: dataDir,
      PORT: '0',
      SES_PORT: '0',
      DYNAMODB_PORT: '0',
      AUTH_PORT: '0',
      DEMO_DELAY_SECONDS: '1',
    },
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    async waitFor(pattern, ms) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const match = out.match(pattern);
        if (match) return match;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`timed out waiting for ${pattern}; output so far:\n${out}`);
    },
    exit: () => exited,
  };
}

/** `npm run --silent dev-token -- …` as the README says, against the running npm start; its stdout. */
function devToken(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['run', '--silent', 'dev-token', '--', ...args],
      { env: { ...process.env, CLUB_PLANNER_DATA: dataDir } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim())),
    );
  });
}

function expectStoppedByCtrlC(exit: { code: number | null; signal: string | null }): void {
  expect(exit.code === 0 || exit.signal === 'SIGINT', `exit ${JSON.stringify(exit)}`).toBe(true);
}

/** What the seeded data says a club's first demo campaign must do, before offers and budget. */
interface Expected {
  readonly demo: DemoClub;
  /** Addresses of members who may get marketing mail at all. */
  readonly mailable: ReadonlySet<string>;
  /** Suppressions by reason for everyone else, e.g. `unsubscribed` → 1. */
  readonly ineligible: ReadonlyMap<string, number>;
  readonly byEmail: ReadonlyMap<string, Member>;
}

function expectedFor(demo: DemoClub, now: Date): Expected {
  const mailable = new Set<string>();
  const ineligible = new Map<string, number>();
  for (const member of demo.members) {
    const eligibility = checkEligibility(member, 'offers', now);
    if (eligibility.eligible) mailable.add(member.email);
    else ineligible.set(eligibility.reason, (ineligible.get(eligibility.reason) ?? 0) + 1);
  }
  return { demo, mailable, ineligible, byEmail: new Map(demo.members.map((m) => [m.email, m])) };
}

interface DoneLine {
  readonly sent: number;
  readonly planned: number;
  readonly suppressed: string;
}

/** The "Demo campaign done" line `npm start` prints for one club. Club ids need no regex escaping. */
async function doneLine(run: Running, clubId: string): Promise<DoneLine> {
  const pattern = new RegExp(
    `Demo campaign done: (\\d+) mails sent of (\\d+) members planned for [^\\n]*\\(${clubId}\\)\\. Suppressed: ([^\\n]*)\\.\\n`,
  );
  const [, sent, planned, suppressed] = await run.waitFor(pattern, 60_000);
  return { sent: Number(sent), planned: Number(planned), suppressed: suppressed ?? '' };
}

const domainOf = (mail: StoredEmail) => mail.destination.to[0]?.split('@')[1];

describe('npm start', () => {
  it('seeds two demo clubs, mails both within a minute, stops on Ctrl-C and reuses the data next time', async () => {
    const now = new Date();
    const grocery = expectedFor(demoGroceryClub(now), now);
    const bookstore = expectedFor(demoBookstoreClub(now), now);
    const clubs = [grocery, bookstore];
    // The two demo clubs must really differ in the way the issue is about.
    expect(grocery.demo.club.brand.primaryEmotion).not.toBe(bookstore.demo.club.brand.primaryEmotion);
    expect(grocery.demo.club.clubId).toBe('stadsbutiken');
    expect(bookstore.demo.club.clubId).toBe('boghandlen');

    const first = npmStart();
    const inboxUrl = (await first.waitFor(/SES inbox \(sent mail\):\s+(\S+)/, 60_000))[1] ?? '';
    for (const { demo } of clubs) {
      expect(first.output()).toContain(
        `Seeded "${demo.club.name}": ${demo.products.length} products, ${demo.offers.length} offers, ${demo.members.length} members.`,
      );
      expect(first.output()).toMatch(
        new RegExp(`Marketer API:\\s+http://localhost:\\d+/api/clubs/${demo.club.clubId}\\n`),
      );
    }
    expect([...first.output().matchAll(/A member's preferences:\s+http:\/\/localhost:\d+\/p\/\S+/g)]).toHaveLength(2);

    const sent = new Map<string, number>();
    for (const { demo, mailable, ineligible } of clubs) {
      const done = await doneLine(first, demo.club.clubId);
      expect(done.planned).toBe(demo.members.length);
      // Everyone who may get mail does, unless no offer is relevant enough; never anyone else.
      expect(done.sent).toBeLessThanOrEqual(mailable.size);
      expect(done.sent).toBeGreaterThanOrEqual(Math.ceil(0.8 * mailable.size));
      for (const [reason, n] of ineligible) expect(done.suppressed).toContain(`${reason}: ${n}`);
      sent.set(demo.club.clubId, done.sent);
    }
    expect(bookstore.ineligible.get('unsubscribed')).toBe(1);
    expect(bookstore.ineligible.get('no-consent')).toBe(1);

    const inbox = await sesInbox(inboxUrl.replace(/\/$/, ''));
    expect(inbox).toHaveLength([...sent.values()].reduce((a, b) => a + b, 0));
    for (const { demo, mailable } of clubs) {
      const domain = `${demo.club.clubId}.example`;
      const mails = inbox.filter((mail) => domainOf(mail) === domain);
      expect(mails, domain).toHaveLength(sent.get(demo.club.clubId) ?? -1);
      expect(new Set(mails.map((mail) => mail.destination.to[0])).size).toBe(mails.length);
      for (const mail of mails) {
        expect(mailable.has(mail.destination.to[0] ?? '')).toBe(true);
        expect(mail.from).toContain(demo.club.senderEmail);
        expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
        // Each demo club sends from its own domain, configured and verified locally (README, "Sending domains").
        expect(header(mail, 'List-Id')).toBe(`<${demo.club.clubId}.${demo.club.clubId}.example>`);
      }
    }

    // The bookstore writes to each reader in their own language, and to Danish readers in Danish.
    const bookstoreMails = inbox.filter((mail) => domainOf(mail) === 'boghandlen.example');
    const danish = bookstoreMails.filter(
      (mail) => bookstore.byEmail.get(mail.destination.to[0] ?? '')?.language === 'da',
    );
    expect(danish.length).toBeGreaterThan(bookstoreMails.length / 2);
    expect(danish.length).toBeLessThan(bookstoreMails.length);
    for (const mail of bookstoreMails) {
      const member = bookstore.byEmail.get(mail.destination.to[0] ?? '');
      expect(mail.body.html).toContain(`<html lang="${member?.language ?? '?'}">`);
    }
    for (const mail of danish) {
      // "titler" (titles) is in the Danish curiosity copy; Swedish says "titlar", English "titles".
      expect(mail.body.text).toContain('titler');
      expect(mail.body.text).toContain(`${CHROME_COPY.da.unsubscribe}:`);
    }
    const page = await fetch(inboxUrl);
    expect(page.status).toBe(200);

    // The API needs a token; dev-token gets one from the running issuer, as the README's curl examples do.
    const api = (first.output().match(/Marketer API:\s+(http:\/\/localhost:\d+)\/api\/clubs\/stadsbutiken\n/) ?? [])[1];
    const campaigns = `${api}/api/clubs/stadsbutiken/campaigns`;
    expect((await fetch(campaigns)).status).toBe(401);
    const viewer = await devToken(['--club', 'stadsbutiken', '--role', 'viewer']);
    expect(viewer).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await fetch(campaigns, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(200);
    const write = await fetch(campaigns, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(write.status).toBe(403);
    // The demo marketer signs in (authorization code with PKCE) with the password npm start printed.
    expect(first.output()).toMatch(/anna@stadsbutiken\.example\s+password \S{20}\s+admin of stadsbutiken/);
    const anna = await devToken(['--user', 'anna@stadsbutiken.example']);
    const team = await fetch(`${api}/api/clubs/stadsbutiken/team`, { headers: { authorization: `Bearer ${anna}` } });
    expect(await team.text()).toContain('anna@stadsbutiken.example');
    // The console: npm start prints where it is, and Anna signs in to it with the same password.
    const consoleUrl = (first.output().match(/Marketer console:\s+(http:\/\/localhost:\d+\/console\/)/) ?? [])[1];
    expect(consoleUrl).toBe(`${api}/console/`);
    const password = (first.output().match(/anna@stadsbutiken\.example\s+password (\S{20})/) ?? [])[1] ?? '';
    const annaConsole = await signInToConsole(api ?? '', 'anna@stadsbutiken.example', password);
    const calendar = await annaConsole.get('/console/clubs/stadsbutiken/calendar');
    expect(calendar.status).toBe(200);
    expect(await calendar.text()).toContain('Stadsbutiken Klubb');

    // Ctrl-C goes to the whole process group, as in a terminal. npm itself dies of the signal;
    // our process prints that it stopped, and the second start can only open the data if it did.
    process.kill(-(first.child.pid ?? 0), 'SIGINT');
    expectStoppedByCtrlC(await first.exit());
    expect(first.output()).toContain('Stopped. Data is kept in');

    const second = npmStart();
    const secondInbox = (await second.waitFor(/SES inbox \(sent mail\):\s+(\S+)/, 60_000))[1] ?? '';
    for (const { demo } of clubs)
      expect(second.output()).toContain(`Reusing the data in ${dataDir}/ (demo club "${demo.club.name}"`);
    // Everyone was mailed moments ago, so the budget holds both second demo campaigns back.
    for (const { demo } of clubs) {
      const again = await doneLine(second, demo.club.clubId);
      expect(again.sent).toBe(0);
      expect(again.suppressed).toContain(`budget-window: ${sent.get(demo.club.clubId) ?? -1}`);
    }
    expect(second.output()).toContain('the budget held the new mail back');
    expect(await sesInbox(secondInbox.replace(/\/$/, ''))).toHaveLength(0);
    process.kill(-(second.child.pid ?? 0), 'SIGINT');
    expectStoppedByCtrlC(await second.exit());
  }, 240_000);
});
