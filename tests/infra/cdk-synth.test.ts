import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npx cdk synth', () => {
  it('synthesizes the one stack offline, without AWS credentials or Docker', () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('CDK_')) env[k] = v;
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', out], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const manifest = z
      .object({ artifacts: z.record(z.string(), z.object({ type: z.string() })) })
      .parse(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
    expect(stacks.map(([name]) => name)).toEqual(['ClubPlanner']);
    // The api function's bundle carries htmx beside its handler: the console serves it from our origin.
    const assets = readdirSync(out).filter((name) => name.startsWith('asset.'));
    const withHtmx = assets.filter((name) => existsSync(join(out, name, 'htmx.min.js')));
    expect(withHtmx).toHaveLength(1);
    expect(readFileSync(join(out, withHtmx[0] ?? '', 'htmx.min.js'), 'utf8')).toContain('2.0.11');
  }, 150_000);
});
