import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type StoredEmail, sesInbox } from '../support/local-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'club-planner-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `npm start` as a person runs it, on free ports and a throwaway data folder. */
function npmStart(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn('npm', ['start'], {
    env: {
      ...process.env,
      CLUB_PLANNER_DATA: dataDir,
      PORT: '0',
      SES_PORT: '0',
      DYNAMODB_PORT: '0',
      AUTH_PORT: '0',
      ...env,
    },
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, output: () => out };
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

async function waitFor(output: () => string, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const match = output().match(pattern);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${pattern}; output so far:\n${output()}`);
}

/** The grocery club's mail in an inbox, by recipient. */
const grocery = (mails: StoredEmail[]) =>
  mails.filter((m) => m.destination.to[0]?.endsWith('@stadsbutiken.example')).map((m) => m.destination.to[0]);

const Report = z.object({
  report: z.object({ toSend: z.number(), sent: z.number(), queued: z.number(), unknown: z.number() }),
});

describe('npm start, stopped and started again in the middle of a campaign', () => {
  it('delivers every mail of the campaign exactly once across the two runs', async () => {
    // Slow sending, one batch at a time, so Ctrl-C comes while most of the mail is still queued (the
    // batch being sent is finished first).
    const first = npmStart({ DEMO_DELAY_SECONDS: '1', SEND_RATE_PER_SECOND: '3', SEND_CONCURRENCY: '1' });
    const inbox1Url =
      (await waitFor(first.output, /SES inbox \(sent mail\):\s+(\S+)/, 60_000))[1]?.replace(/\/$/, '') ?? '';
    const reportPath =
      (
        await waitFor(
          first.output,
          /Campaign report:\s+http:\/\/localhost:\d+(\/api\/clubs\/stadsbutiken\/campaigns\/\S+)/,
          60_000,
        )
      )[1] ?? '';
    let inbox1: StoredEmail[] = [];
    while (grocery(inbox1).length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      inbox1 = await sesInbox(inbox1Url);
    }
    process.kill(-(first.child.pid ?? 0), 'SIGINT');
    // The inbox lives in memory: keep reading it until the process has closed it.
    const exited = new Promise((resolve) => first.child.on('exit', resolve));
    let open = true;
    while (open) {
      try {
        inbox1 = await sesInbox(inbox1Url);
        await new Promise((resolve) => setTimeout(resolve, 20));
      } catch {
        open = false;
      }
    }
    await exited;
    expect(first.output()).toContain('Stopped. Data is kept in');

    // The second run's own demo campaign is an hour away: what it sends now is the first campaign's rest.
    const second = npmStart({ DEMO_DELAY_SECONDS: '3600' });
    const inbox2Url =
      (await waitFor(second.output, /SES inbox \(sent mail\):\s+(\S+)/, 60_000))[1]?.replace(/\/$/, '') ?? '';
    const api = inbox2Url.replace(/:\d+$/, '');
    const apiUrl = (await waitFor(second.output, /Marketer API:\s+(http:\/\/localhost:\d+)\/api/, 60_000))[1] ?? api;
    // The report needs a token from this run's issuer, as the README's curl examples get one.
    const viewer = { authorization: `Bearer ${await devToken(['--club', 'stadsbutiken', '--role', 'viewer'])}` };
    const readReport = async () =>
      Report.parse(await (await fetch(`${apiUrl}${reportPath}`, { headers: viewer })).json()).report;
    let report = await readReport();
    for (let i = 0; i < 300 && report.queued + report.unknown > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      report = await readReport();
    }
    const inbox2 = await sesInbox(inbox2Url);
    process.kill(-(second.child.pid ?? 0), 'SIGINT');
    await new Promise((resolve) => second.child.on('exit', resolve));

    const before = grocery(inbox1);
    const after = grocery(inbox2);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(report.toSend);
    expect(after.length).toBeGreaterThan(0);
    expect(report).toMatchObject({ queued: 0, unknown: 0 });
    // Every mail exactly once: nobody twice, and together the two inboxes hold every mail sent.
    const all = [...before, ...after];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(report.sent);
    expect(report.sent).toBe(report.toSend);
  }, 240_000);
});
