/**
 * dynalite reads a Query or Scan through a stream that ends its LevelDB iterator with
 * `iterator.return()`, which abstract-level's iterators do not have (they have `close()`): every Query
 * left its iterator and the LevelDB snapshot under it open, about 55 KB of native memory per member
 * planned (docs/decisions/0056-scale-bench-emulator.md). Importing this module gives them the
 * `return()` dynalite calls, so a long `npm start` and the benchmarks keep their memory. Local only:
 * nothing deployed runs dynalite.
 */
import { AbstractIterator, AbstractKeyIterator, AbstractValueIterator } from 'abstract-level';

for (const Iterator of [AbstractIterator, AbstractKeyIterator, AbstractValueIterator]) {
  if (Object.hasOwn(Iterator.prototype, 'return')) continue;
  Object.defineProperty(Iterator.prototype, 'return', {
    configurable: true,
    value(this: { close(): Promise<void> }) {
      return this.close();
    },
  });
}
