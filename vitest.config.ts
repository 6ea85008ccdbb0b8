import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (the pure core and in-memory adapters, seconds), `integration` (real SDK
 * clients against the emulators, real HTTP, `npm start`, `cdk synth`) and `browser` (headless
 * Chromium). `npm test` runs all three; `npx vitest run --project unit` runs one.
 */
export default defineConfig({
  test: {
    // Integration tests start real servers (DynamoDB emulator, local SES, HTTP) on free ports.
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // A focused or skipped test must never pass CI silently.
    allowOnly: false,
    projects: [
      {
        extends: true,
        // Pure code and in-memory ports, no servers: worker threads that keep loaded modules between files
        // (isolate: false) run the project in about 60 % of the time separate processes take.
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          pool: 'threads',
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        // Each file starts its own servers on free ports and its own data folder: independent files, two at a
        // time (vitest's default is one worker on CI's two cores; most of a file's time is waiting on I/O). A
        // project with its own worker count runs as its own group, after the unit tests.
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/infra/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['tests/browser/**/*.test.ts'], sequence: { groupOrder: 2 } },
      },
    ],
  },
});
