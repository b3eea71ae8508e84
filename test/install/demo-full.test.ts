/**
 * `metalboot demo --full`, once, as a user runs it (`npm run test:install`; `npm test` leaves it out):
 * the demo's own stack re-images its simulated Metal device (a QEMU VM with a disk, BIOS) with the
 * image-based install, and must end on the installed system's own "booted" report. Passes only on
 * what the demo printed from the system: the facts of that report (the host name the installed
 * system gave itself, its kernel line from GRUB), and the install's phases, each ended by evidence.
 * The demo keeps its own state (its server's secret and databases) in <cache>/demo-full-state; its
 * build cache is seeded from the one the suite's global setup filled (test/fixtures/disk-image.yaml
 * has the demo's fields: same recipe, no second build). Needs root, QEMU and the namespace tools.
 */
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliArgv } from '../../src/demo/cli-in-netns.js';
import { diskTestState, testCacheDir } from '../setup/cache.js';

const BUILT = diskTestState();
const STATE = join(testCacheDir(), 'demo-full-state');
const TIMEOUT_S = 1_500;

async function skipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (namespaces, QEMU)';
  for (const program of ['qemu-system-x86_64', 'nsenter']) {
    if ((await execa('sh', ['-c', `command -v ${program}`], { reject: false })).exitCode !== 0) return `missing ${program}`;
  }
  if (!existsSync(join(BUILT, 'images/disk.json'))) return `no disk image built in ${BUILT} (the suite's global setup builds it as root)`;
  return undefined;
}

const reason = await skipReason();
if (reason) console.warn(`[skip] demo --full: ${reason}`);

describe.skipIf(reason !== undefined)('metalboot demo --full: re-image → install to disk → reboot → the installed system reports "booted"', () => {
  let exitCode: number | undefined;
  let printed = '';

  beforeAll(async () => {
    // Write-then-rename caches: copying the finished ones is safe; a missing one is built (and kept).
    await cp(join(BUILT, 'cache'), join(STATE, 'cache'), { recursive: true, force: false });
    const { file, args, runner } = cliArgv();
    const started = Date.now();
    const run = await execa(file, [...args, 'demo', '--full', '--no-console', '--state', STATE, '--timeout', String(TIMEOUT_S)], { reject: false, all: true, timeout: (TIMEOUT_S + 300) * 1000 });
    exitCode = run.exitCode;
    printed = String(run.all ?? '');
    console.log(`[demo --full] exit ${String(exitCode)} after ${Math.round((Date.now() - started) / 1000)} s (CLI from ${runner})\n${printed.slice(printed.lastIndexOf('==> timeline'))}`);
  }, (TIMEOUT_S + 360) * 1000);

  it('exits 0 and says the device runs the installed system from its disk', () => {
    expect(exitCode, printed.slice(-4000)).toBe(0);
    expect(printed).toContain('web-1 runs the installed system from its disk and said so itself');
  });

  it("prints the installed system's own facts: its host name is the device's, its kernel line the one GRUB gave it", () => {
    const facts = printed.slice(printed.lastIndexOf('said so itself:'));
    expect(facts, printed.slice(-4000)).toMatch(/^ {2}host web-1, kernel \S+/m);
    expect(facts).toMatch(/^ {2}cmdline .*root=LABEL=metalroot.*console=ttyS1,115200n8/m);
    expect(facts).toMatch(/^ {2}bond0 active-backup /m);
  });

  it('prints every phase of the install with its time, and metalboot\'s share of the whole run', () => {
    for (const phase of ['API calls', 'firmware', 'kernel+initrd delivery', 'installer boot', 'disk image write', 'reboot', 'firmware+GRUB', 'installed kernel', 'first boot']) {
      expect(printed, printed.slice(-4000)).toMatch(new RegExp(`^ {2}${phase.replace('+', '\\+')} +\\d+\\.\\d s +\\d+\\.\\d s `, 'm'));
    }
    expect(printed).toMatch(/metalboot's own share: \d+\.\d s = \d+\.\d % of \d+\.\d s/);
  });
});
