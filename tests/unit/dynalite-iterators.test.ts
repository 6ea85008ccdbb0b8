import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import '../../lambdas/runtime/dynalite-iterators.js';

describe('the LevelDB iterators dynalite ends with return()', () => {
  it('are closed by return(), so a Query leaves no iterator and snapshot open', async () => {
    const db = new MemoryLevel<string, string>();
    await db.put('a', '1');
    for (const iterator of [db.iterator(), db.keys(), db.values()]) {
      expect(typeof Reflect.get(iterator, 'return')).toBe('function');
      await Reflect.apply(Reflect.get(iterator, 'return'), iterator, []);
      // A closed iterator refuses to go on; an open one would give the first entry.
      await expect(iterator.next()).rejects.toThrow(/not open|closed/i);
    }
    await db.close();
  });
});
