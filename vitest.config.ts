import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // Integration tests share one PyKMIP server and one keychain: keep files sequential there.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // "Eventually" within 5 s, not vitest's 1 s: a keychain round trip on a loaded 2-core machine can take longer.
    expect: { poll: { timeout: 5_000 } },
    reporters: ['default'],
  },
});
