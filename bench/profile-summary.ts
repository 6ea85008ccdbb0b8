/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [N]`: the N (default 30) functions with the most
 * self time in a V8 CPU profile, and the files with the most, so a profile can be read without DevTools.
 * A third argument, function names separated by commas, adds each one's total time (itself and what it calls).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const Profile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

const [file, top = '30', names = ''] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [N] [function,function…]');
const profile = Profile.parse(JSON.parse(await readFile(file, 'utf8')));
const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const frame = frames.get(id);
  const where = frame
    ? frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(lambdas|bench)\//, '$1/')
    : '?';
  const name = frame ? `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}` : '?';
  byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
  const module =
    where
      .split('/')
      .slice(0, where.startsWith('@') ? 2 : 1)
      .join('/') ||
    frame?.functionName ||
    '?';
  byFile.set(module, (byFile.get(module) ?? 0) + dt);
});
const show = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log(
  `total ${(total / 1000).toFixed(0)} ms\n\nby package or folder:\n${show(byFile, 15)}\n\nby function (self):\n${show(byFunction, Number(top))}`,
);

const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
for (const name of names.split(',').filter(Boolean)) {
  let inclusive = 0;
  profile.samples.forEach((id, i) => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      if (frames.get(at)?.functionName === name) {
        inclusive += profile.timeDeltas[i] ?? 0;
        break;
      }
    }
  });
  console.log(`${(inclusive / 1000).toFixed(0).padStart(7)} ms total in ${name}`);
}
