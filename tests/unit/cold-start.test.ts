import { expect, it } from 'vitest';
import type { Deps } from '../../lambdas/app/deps.js';
import { lazyDeps } from '../../lambdas/runtime/aws-deps.js';
import { perColdStart } from '../../lambdas/runtime/cold-start.js';
import { memoryDeps } from '../../lambdas/runtime/memory-deps.js';

it('builds a handler once per cold start and keeps it across invocations, trying again after a failed start', async () => {
  let starts = 0;
  let builds = 0;
  const deps = lazyDeps(async (): Promise<Deps> => {
    starts += 1;
    if (starts === 1) throw new Error('the secret could not be read');
    return memoryDeps().deps;
  });
  const handler = perColdStart(deps, () => {
    builds += 1;
    return { state: new Map<string, number>() };
  });
  await expect(handler()).rejects.toThrow('the secret could not be read');
  const first = await handler();
  first.state.set('catalog', 1);
  const second = await handler();
  expect(second).toBe(first);
  expect(second.state.get('catalog')).toBe(1);
  expect([starts, builds]).toEqual([2, 1]);
});
