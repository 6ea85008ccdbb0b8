/**
 * The DynamoDB emulator alone in a process of its own (bench/lib/emulator-process.ts starts it):
 * dynalite with its LevelDB files in the folder given as the first argument. It tells its parent the
 * port over IPC and stops when the parent disconnects.
 */
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import '../../lambdas/runtime/dynalite-iterators.js';

// Close the LevelDB iterators dynalite leaves open (lambdas/runtime/dynalite-iterators.ts).
const path = process.argv[2];
if (!path) throw new Error('usage: emulator-child.ts <folder>');
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = address && typeof address === 'object' ? (address satisfies AddressInfo).port : 0;
  process.send?.({ port });
});
// The parent went away (it stopped us, or it crashed): close the database so LevelDB flushes.
process.on('disconnect', () => server.close(() => process.exit(0)));
