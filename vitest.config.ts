import { defineConfig } from 'vitest/config';

// Unit tests are fast; the e2e boots (test/e2e) run QEMU under software emulation and
// carry their own per-test timeouts. Two workers: this is sized for a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
