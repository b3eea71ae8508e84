import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests are fast; the e2e boots (test/e2e) run QEMU under software emulation and
// carry their own per-test timeouts. Two workers: this is sized for a 2-core machine.
// The global setup installs the Debian packages the tests need (src/host/packages.ts) when run
// as root, and otherwise stops with the apt-get line; then builds what the e2e boots need from the
// package archive (test/setup/artifacts.ts), cached outside the clone.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the image-based install (two VM boots and a disk image build): npm run test:install
    exclude: [...configDefaults.exclude, 'test/install/**'],
    globalSetup: ['test/setup/host-packages.ts', 'test/setup/artifacts.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
