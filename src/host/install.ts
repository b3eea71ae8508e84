/**
 * `npx tsx src/host/install.ts [tests|demo|ci]` (.ci/run uses `ci`): installs the Debian packages
 * that consumer needs and are missing (as root), or prints the apt-get line and exits 1.
 */
import { MetalbootError } from '../errors.js';
import { ensurePackages } from './ensure.js';
import type { Consumer } from './packages.js';
import { packagesFor } from './packages.js';

const CONSUMERS: readonly Consumer[] = ['tests', 'demo', 'ci'];
const consumer = (process.argv[2] ?? 'ci') as Consumer;
if (!CONSUMERS.includes(consumer)) {
  process.stderr.write(`usage: npx tsx src/host/install.ts [${CONSUMERS.join('|')}]\n`);
  process.exit(2);
}
try {
  const log = (line: string): void => void process.stderr.write(`host: ${line}\n`);
  const installed = await ensurePackages(packagesFor(consumer), { log });
  log(installed.length === 0 ? `every Debian package for ${consumer} is installed` : `installed ${installed.map((pkg) => pkg.name).join(' ')}`);
} catch (error) {
  if (!(error instanceof MetalbootError)) throw error;
  process.stderr.write(`host: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
  process.exit(1);
}
