/**
 * `metalboot demo` (`npm run demo`): the whole re-image story on one machine, no config needed.
 * Installs missing Debian packages (as root), builds the image, starts the metalboot server and
 * the Metal API simulator, re-images a simulated device whose "hardware" is a QEMU VM, streams its
 * serial console, prints the phase timeline, and cleans everything up. By default the image is
 * the RAM image (type rootfs) and the run ends at the device's own "booted" report; `--installer`
 * takes the Debian installer and stops once the installer is up. Nothing is ever reported in the
 * device's place.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Firmware } from '../config/types.js';
import { MetalbootError, UsageError } from '../errors.js';
import type { DemoImage } from '../demo/config-text.js';
import type { Stack } from '../demo/stack.js';

interface DemoOptions {
  firmware: string;
  timeout?: string;
  console: boolean;
  keep?: boolean;
  installer?: boolean;
  state?: string;
}

const say = (text: string): void => void process.stderr.write(`\n==> ${text}\n`);

/** Where the RAM image is built and kept between runs (a cold build takes minutes). */
export function defaultDemoState(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.METALBOOT_CACHE_DIR ?? '/var/cache/metalboot', 'demo-state');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .option('--installer', 'use the Debian installer image instead of the RAM image; stops once the installer is up')
    .option('--firmware <which>', 'bios or uefi', 'bios')
    .option('--timeout <seconds>', 'give up after this many seconds (default 600)')
    .option('--state <dir>', 'RAM image: state dir where the image is built and kept between runs (default $METALBOOT_CACHE_DIR/demo-state, /var/cache/metalboot/demo-state)')
    .option('--no-console', 'do not stream the serial console')
    .option('--keep', 'keep the scratch directory (config, logs, console) afterwards')
    .summary('re-image a simulated Metal device backed by a local QEMU VM, end to end')
    .description(
      'Runs on a Debian 12 machine as root, with nothing else set up: installs the missing Debian packages the demo ' +
        'needs (src/host/packages.ts: QEMU, firmware, mmdebstrap, namespace tools), starts the metalboot server and a local ' +
        'Equinix Metal API simulator, runs `metalboot reimage web-1 --provider metal --wait` and streams the device\'s serial ' +
        'console (ttyS1).\n\n' +
        'Default: the RAM image (type rootfs, docs/rootfs.md), built from Debian packages on first use (a few minutes; kept ' +
        'in --state, later runs reuse it). The device boots it through iPXE, takes its host name and bond0 from its ' +
        'per-device data, shows a login prompt and reports "booted" to the server by itself; the timeline ends there.\n\n' +
        '--installer: the Debian installer image; `reimage` runs without --wait (no report will come) and the demo stops ' +
        'once the installer is up and says so (the install is not run and nothing reports in its place; running on to the ' +
        'installed OS is the coming --full).\n\n' +
        'Nothing leaves the machine but the RAM image\'s package downloads: the VM and the CLI run in a private network namespace.',
    )
    .action(async (options: DemoOptions) => {
      if (options.firmware !== 'bios' && options.firmware !== 'uefi') throw new UsageError(`--firmware must be bios or uefi, got "${options.firmware}"`);
      const image: DemoImage = options.installer ? 'installer' : 'ram';
      const timeout = Number(options.timeout ?? 600);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a number of seconds, got "${options.timeout}"`);
      await ensurePackages();
      await runDemo(image, options.firmware, timeout * 1000, options);
    });
}

/** As root: installs the demo's missing Debian packages; otherwise stops with the apt-get line. */
async function ensurePackages(): Promise<void> {
  const { ensurePackages: ensure } = await import('../host/ensure.js');
  const { packagesFor } = await import('../host/packages.js');
  await ensure(packagesFor('demo'), { log: say });
}

async function runDemo(image: DemoImage, firmware: Firmware, timeoutMs: number, options: DemoOptions): Promise<void> {
  const { runReimageScenario } = await import('../demo/scenario.js');
  const { redactTokens } = await import('../config/device-token.js');
  const { startStack } = await import('../demo/stack.js');
  const { formatTimeline } = await import('../demo/timeline.js');
  const { describeBooted } = await import('../demo/booted-facts.js');
  const dir = await mkdtemp('/tmp/metalboot-demo-');
  let stack: Stack | undefined;
  // One cleanup, whoever asks first (Ctrl-C or the normal end): both wait for the same run.
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => (cleaning ??= (async () => {
    await stack?.close().catch(() => {});
    if (!options.keep) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  })());
  const interrupted = (): void => {
    process.stderr.write('\ninterrupted: stopping the VM and cleaning up\n');
    void cleanup().finally(() => process.exit(130));
  };
  // `on`, not `once`: vm-registry leaves exiting to us only while our listener is still registered.
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  try {
    const stateDir = image === 'ram' ? (options.state ?? defaultDemoState()) : undefined;
    say(image === 'ram'
      ? `building (or reusing) the RAM image in ${stateDir} and starting the server + Metal simulator (scratch: ${dir})`
      : `building the Debian 12 installer image and starting the server + Metal simulator (in ${dir})`);
    stack = await startStack({ dir, firmware, image, vmTimeoutMs: timeoutMs, operatingSystem: 'custom_ipxe', ...(stateDir ? { stateDir } : {}) });
    say(`metalboot reimage ${stack.device} --provider metal --wait   (device ${stack.deviceId}, ${firmware.toUpperCase()}, image ${image === 'ram' ? 'ram (RAM, rootfs)' : 'debian12 (installer)'})`);
    const result = await runReimageScenario(stack, {
      timeoutMs,
      onMark: (mark) => say(`+${(mark.atMs / 1000).toFixed(1)}s  ${mark.phase}${mark.detail ? `  ${redactTokens(mark.detail)}` : ''}`),
      ...(options.console ? { onConsole: (text: string) => void process.stdout.write(redactTokens(text)) } : {}),
    });
    if (result.stderr.trim()) process.stderr.write(`\nmetalboot reimage said:\n${result.stderr}`);
    const end = image === 'ram' ? 'the device\'s "booted" report' : 'the installer on ttyS1';
    say(`timeline from "reimage" to ${end} (${firmware.toUpperCase()}, software emulation):`);
    process.stderr.write(formatTimeline(result.marks));
    if (result.exitCode !== 0) throw new MetalbootError(`metalboot reimage exited with ${String(result.exitCode)}`, { hint: `logs in ${dir} (run with --keep to look at them)` });
    if (image === 'ram') {
      say(`done: ${stack.device} is up in RAM and said so itself:\n${describeBooted(result.booted?.facts)}`);
      say(`always_pxe stays ${String(stack.sim.device(stack.deviceId)?.alwaysPxe)} (a RAM image boots from the network every time); ${stack.sim.violations().length} Metal API spec violations`);
    } else {
      say('the demo stops here: the Debian installer is up and would now install the system. Nothing was reported ' +
        'in its place, so the re-image is not "installed" (`--full`, from the install work, runs on to the installed OS).');
    }
    if (options.keep) say(`kept ${dir}`);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}
