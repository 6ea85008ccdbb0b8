import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** The figures a row of the table holds, by its name. */
function value(output: string, name: string): string | undefined {
  const row = output.split('\n').find((line) => line.startsWith(`| ${name}`));
  return row?.split('|')[2]?.trim();
}

describe('npm run bench:scale', () => {
  it('generates a small club, fits it with SQL, plans and sends one campaign, and prints the projection', async () => {
    const { stdout } = await run('npx', ['tsx', 'bench/scale.ts', '--members', '150', '--send-sample', '40'], {
      timeout: 120_000,
      maxBuffer: 10_000_000,
    });
    expect(value(stdout, 'plan: members planned (to send)')).toMatch(/^150 \(\d+\)$/);
    expect(Number(value(stdout, 'send: mails sent (sample)'))).toBeGreaterThanOrEqual(40);
    expect(value(stdout, 'send: dropped at send time, by reason')).toBe('{}');
    expect(Number(value(stdout, 'plan: write units per member planned'))).toBeGreaterThan(0);
    expect(value(stdout, 'fit: model members / baskets / items')).toMatch(/^\d+ \/ [\d,]+ \/ [\d,]+$/);
    expect(stdout).toMatch(/One campaign \([\d,]+ mails/);
    expect(stdout).toMatch(/SES\s+\$[\d.]+/);
    expect(stdout).toMatch(/Athena \(bytes scanned\)\s+\$[\d.]+/);
    expect(stdout).toMatch(/1000 mails\/s\s+\d+ min/);
    expect(stdout).toMatch(/prices: November 2026/);
    // The emulator runs in a process of its own, and its memory and CPU are reported apart.
    expect(stdout).toMatch(/^ {2}plan +[\d,]+ MB \(JS heap [\d,]+ MB\) \| emulator [1-9][\d,]* MB$/m);
    expect(stdout).toMatch(/^ {2}plan +[\d.,]+ s this process \| [\d.,]+ s emulator$/m);
  });
});
