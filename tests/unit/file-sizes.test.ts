import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const LIMIT = 450;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

it(`keeps every source file in lambdas/ and lib/ within ${LIMIT} lines, but the pure data tables the README names`, () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const files = [...sources('lambdas'), ...sources('lib')];
  expect(files.length).toBeGreaterThan(100);
  const over = files
    .map((file) => ({ file, lines: readFileSync(join(root, file), 'utf8').split('\n').length - 1 }))
    .filter(({ file, lines }) => lines > LIMIT && !readme.includes(`\`${file}\``));
  expect(over).toEqual([]);
});
