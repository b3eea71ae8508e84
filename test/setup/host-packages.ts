/**
 * vitest global setup: the Debian packages the tests need (src/host/packages.ts, consumer
 * `tests`). As root, what is missing is installed (apt-get update first); otherwise the run stops
 * with the exact apt-get line, instead of tests failing one by one on a missing program.
 */
import { ensurePackages } from '../../src/host/ensure.js';
import { packagesFor } from '../../src/host/packages.js';
import { MetalbootError } from '../../src/errors.js';

export default async function setup(): Promise<void> {
  try {
    // as non-root, optional packages (chromium) do not stop the run: their tests skip with a message
    const root = process.getuid?.() === 0;
    await ensurePackages(packagesFor('tests').filter((pkg) => root || !pkg.optional), { log: (line) => console.log(`[setup] ${line}`) });
  } catch (error) {
    if (error instanceof MetalbootError && error.hint) throw new Error(`${error.message}\n${error.hint}`, { cause: error });
    throw error;
  }
}
