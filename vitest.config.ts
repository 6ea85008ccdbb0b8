import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration tests start real servers (DynamoDB emulator, local SES, HTTP) on free ports.
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // A focused or skipped test must never pass CI silently.
    allowOnly: false,
  },
});
