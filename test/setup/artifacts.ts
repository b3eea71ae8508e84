/**
 * vitest global setup, after the packages: builds what the e2e boots need and only a setup step
 * may fetch (the network is Debian's package archive), cached outside the clone by content:
 *   - the rootfs RAM image (test/fixtures/rootfs-image.yaml) → <cache>/rootfs-state
 * A second run finds the cache and only re-checks the mirror's Release file. Not root: nothing is
 * built and the boots that need it skip (they say so). Root and the build fails: the run stops.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { rootfsTestState } from './cache.js';

export default async function setup(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('[setup] not root: the rootfs RAM image is not built; its e2e boot will skip');
    return;
  }
  const state = rootfsTestState();
  const fresh = !existsSync(join(state, 'images/ram.json'));
  console.log(`[setup] rootfs RAM image → ${state}${fresh ? ' (first build: a few minutes)' : ' (cached)'}`);
  const code = await runCli(['build', 'ram', '--config', 'test/fixtures/rootfs-image.yaml', '--out', state]);
  if (code !== 0) throw new Error(`[setup] building the rootfs RAM image failed (exit ${code}); see the message above`);
}
