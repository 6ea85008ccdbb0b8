import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('docs/reliability.md', root), 'utf8');

/** Each bullet of the doc that starts with a test file, with the test names quoted in it. */
function citations(): Array<{ file: string; names: string[] }> {
  const bullets = doc.split(/\n(?=- |\*\*)/).filter((b) => b.startsWith('- `tests/'));
  return bullets.map((bullet) => {
    const file = /^- `([^`]+)`/.exec(bullet)?.[1] ?? '';
    const text = bullet.replace(/\s*\n\s*/g, ' ');
    // A name is quoted right after a colon, semicolon or comma: quotes inside a name are not names.
    const names = [...text.matchAll(/(?<=[:;,] )(?:"([^"]+)"|'([^']+)')/g)].map((m) => m[1] ?? m[2] ?? '');
    return { file, names };
  });
}

const normal = (text: string) => text.replace(/[’‘]/g, "'").replace(/\s+/g, ' ');

it('names in docs/reliability.md only test files and tests that exist, for each of the 25 rules', () => {
  for (let rule = 1; rule <= 25; rule++) expect(doc).toContain(`**${rule}. `);
  const cited = citations();
  expect(cited.length).toBeGreaterThan(40);
  const missing: string[] = [];
  for (const { file, names } of cited) {
    if (!existsSync(new URL(file, root))) {
      missing.push(file);
      continue;
    }
    const source = normal(readFileSync(new URL(file, root), 'utf8'));
    for (const name of names) {
      // "…" in the doc shortens a long name: the part before it must be there.
      const known = normal(name.replace(/ …$/, ''));
      if (!source.includes(known)) missing.push(`${file}: ${name}`);
    }
  }
  expect(missing).toEqual([]);
});

it('is what the code cites: no comment cites the RELIABILITY.md that is not in the repository', () => {
  const sources = ['lambdas/core/tokens.ts', 'lambdas/http/pages/routes.ts', 'lib/constructs/alarms.ts'];
  for (const file of sources) {
    const text = readFileSync(new URL(file, root), 'utf8');
    expect(text).toContain('docs/reliability.md');
    expect(text).not.toMatch(/(?<!docs\/)RELIABILITY\.md/);
  }
});
