import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { header, sesInbox } from '../support/local-harness.js';

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
    env: { ...process.env, CLUB_PLANNER_DATA: dataDir, PORT: '0', SES_PORT: '0', DYNAMODB_PORT: '0', DEMO_DELAY_SECONDS: '1' },
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

function expectStoppedByCtrlC(exit: { code: number | null; signal: string | null }): void {
  expect(exit.code === 0 || exit.signal === 'SIGINT', `exit ${JSON.stringify(exit)}`).toBe(true);
}

describe('npm start', () => {
  it('seeds the demo club, mails it within 30 seconds, stops on Ctrl-C and reuses the data next time', async () => {
    const first = npmStart();
    const inboxUrl = (await first.waitFor(/SES inbox \(sent mail\):\s+(\S+)/, 30_000))[1] ?? '';
    expect(first.output()).toMatch(/Seeded "Stadsbutiken Klubb": 200 products, 50 offers, 50 members\./);
    expect(first.output()).toMatch(/A member's preferences:\s+http:\/\/localhost:\d+\/p\/\S+/);
    const done = await first.waitFor(/Demo campaign done: (\d+) mails sent/, 30_000);
    const sent = Number(done[1]);
    expect(sent).toBeGreaterThan(40);

    const inbox = await sesInbox(inboxUrl.replace(/\/$/, ''));
    expect(inbox).toHaveLength(sent);
    for (const mail of inbox) expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const page = await fetch(inboxUrl);
    expect(page.status).toBe(200);

    // Ctrl-C goes to the whole process group, as in a terminal. npm itself dies of the signal;
    // our process prints that it stopped, and the second start can only open the data if it did.
    process.kill(-(first.child.pid ?? 0), 'SIGINT');
    expectStoppedByCtrlC(await first.exit());
    expect(first.output()).toContain('Stopped. Data is kept in');

    const second = npmStart();
    await second.waitFor(/Reusing the data/, 30_000);
    // Everyone was mailed moments ago, so the budget holds the second demo campaign back.
    const again = await second.waitFor(/Demo campaign done: (\d+) mails sent/, 30_000);
    expect(Number(again[1])).toBe(0);
    expect(second.output()).toMatch(/budget-window: \d+/);
    process.kill(-(second.child.pid ?? 0), 'SIGINT');
    expectStoppedByCtrlC(await second.exit());
  }, 120_000);
});
