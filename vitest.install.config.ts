import { defineConfig } from 'vitest/config';

// The image-based install e2e (test/install): its global setup builds a disk image once (mmdebstrap, network), then it
// runs two VM boots under TCG; `npm test` leaves it out (vitest.config.ts), `npm run test:install` runs it.
export default defineConfig({
  test: {
    include: ['test/install/**/*.test.ts'],
    globalSetup: ['test/setup/host-packages.ts', 'test/setup/artifacts.ts', 'test/setup/disk-image.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
