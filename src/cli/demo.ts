/**
 * `metalboot demo` (`npm run demo`): the whole re-image story on one machine, no config needed.
 * Installs missing Debian packages (as root), builds the image, starts the metalboot server and
 * the Metal API simulator, re-images a simulated device whose "hardware" is a QEMU VM, streams its
 * serial console, prints the phase timeline, and cleans everything up. By default the image is
 * the RAM image (type rootfs) and the run ends at the device's own "booted" report; `--installer`
 * takes the Debian installer and stops once the installer is up; `--full` takes the image-based
 * install (type disk) and runs through the install and the reboot to the installed system's own
 * "booted" report, with the install's phases. Nothing is ever reported in the device's place.
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
  full?: boolean;
  state?: string;
}

const say = (text: string): void => void process.stderr.write(`\n==> ${text}\n`);

const IMAGE_LABEL: Record<DemoImage, string> = {
  ram: 'RAM image (ram, type rootfs)',
  installer: 'Debian installer (debian12)',
  disk: 'image-based install (disk, type disk)',
};

/** Where the RAM image and the image-based install are built and kept between runs (a cold build takes minutes). */
export function defaultDemoState(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.METALBOOT_CACHE_DIR ?? '/var/cache/metalboot', 'demo-state');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .option('--full', 'the image-based install (type disk): install to the device\'s disk, reboot into it, end on the installed system\'s own "booted" report')
    .option('--installer', 'use the Debian installer image instead of the RAM image; stops once the installer is up')
    .option('--firmware <which>', 'bios or uefi', 'bios')
    .option('--timeout <seconds>', 'give up after this many seconds (default 600, 1500 with --full)')
    .option('--state <dir>', 'RAM image and --full: state dir where the image is built and kept between runs (default $METALBOOT_CACHE_DIR/demo-state, /var/cache/metalboot/demo-state)')
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
        '--full: the image-based install (type disk, docs/demo.md): the device, now with a 4 GB disk, boots a RAM installer ' +
        'that writes the installed system\'s disk image to its disk and reports "installed"; reimage turns always_pxe off, ' +
        'the installer reboots, the VM starts again from its disk (GRUB, the installed kernel, `web-1 login:`) and the ' +
        'installed system reports "booted" by itself. The demo prints its facts and the install\'s phases (API calls, ' +
        'firmware, kernel+initrd delivery, installer boot, disk image write, reboot, firmware+GRUB, installed kernel, ' +
        'first boot) with metalboot\'s own share. Its first run builds the image (several minutes).\n\n' +
        '--installer: the Debian installer image; `reimage` runs without --wait (no report will come) and the demo stops ' +
        'once the installer is up and says so (the install is not run and nothing reports in its place; --full runs on to ' +
        'an installed OS).\n\n' +
        'The CLI inside the demo runs from dist/ when dist/cli/main.js is newer than src/ (npm run build), else under tsx; ' +
        'the demo says which.\n\n' +
        'Nothing leaves the machine but the RAM image\'s package downloads: the VM and the CLI run in a private network namespace.',
    )
    .action(async (options: DemoOptions) => {
      if (options.firmware !== 'bios' && options.firmware !== 'uefi') throw new UsageError(`--firmware must be bios or uefi, got "${options.firmware}"`);
      if (options.full && options.installer) throw new UsageError('--full and --installer are exclusive: --full installs the image-based install (type disk) to the disk, --installer only boots the Debian installer');
      const image: DemoImage = options.full ? 'disk' : options.installer ? 'installer' : 'ram';
      const timeout = Number(options.timeout ?? (options.full ? 1500 : 600));
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
  const { cliArgv } = await import('../demo/cli-in-netns.js');
  const { formatPhases, installPhases, metalbootShare } = await import('../demo/phases.js');
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
    const stateDir = image === 'installer' ? undefined : (options.state ?? defaultDemoState());
    say(image === 'installer'
      ? `building the Debian 12 installer image and starting the server + Metal simulator (in ${dir})`
      : `building (or reusing) the ${IMAGE_LABEL[image]} in ${stateDir} and starting the server + Metal simulator (scratch: ${dir})`);
    stack = await startStack({ dir, firmware, image, vmTimeoutMs: timeoutMs, operatingSystem: 'custom_ipxe', ...(stateDir ? { stateDir } : {}) });
    const cli = cliArgv();
    say(`metalboot reimage ${stack.device} --provider metal --wait   (device ${stack.deviceId}, ${firmware.toUpperCase()}, image ${IMAGE_LABEL[image]}; ` +
      `the CLI runs from ${cli.runner === 'dist' ? 'dist/' : 'src/ under tsx'}: ${cli.why})`);
    const result = await runReimageScenario(stack, {
      timeoutMs,
      onMark: (mark) => say(`+${(mark.atMs / 1000).toFixed(1)}s  ${mark.phase}${mark.detail ? `  ${redactTokens(mark.detail)}` : ''}`),
      ...(options.console ? { onConsole: (text: string) => void process.stdout.write(redactTokens(text)) } : {}),
    });
    if (result.stderr.trim()) process.stderr.write(`\nmetalboot reimage said:\n${result.stderr}`);
    const end = image === 'installer' ? 'the installer on ttyS1' : image === 'ram' ? 'the device\'s "booted" report' : 'the installed system\'s "booted" report';
    say(`timeline from "reimage" to ${end} (${firmware.toUpperCase()}, software emulation):`);
    process.stderr.write(formatTimeline(result.marks));
    if (image === 'disk') {
      const phases = installPhases(result.marks);
      say('the install\'s phases (each ends at what the system showed):');
      process.stderr.write(formatPhases(phases, metalbootShare(result.marks, phases), cli.runner));
    }
    if (result.exitCode !== 0) throw new MetalbootError(`metalboot reimage exited with ${String(result.exitCode)}`, { hint: `logs in ${dir} (run with --keep to look at them)` });
    if (image === 'disk') {
      say(`done: ${stack.device} runs the installed system from its disk and said so itself:\n${redactTokens(describeBooted(result.booted?.facts))}`);
      say(`always_pxe is ${String(stack.sim.device(stack.deviceId)?.alwaysPxe)} now (reimage turned it off after "installed"); ${stack.sim.violations().length} Metal API spec violations`);
    } else if (image === 'ram') {
      say(`done: ${stack.device} is up in RAM and said so itself:\n${describeBooted(result.booted?.facts)}`);
      say(`always_pxe stays ${String(stack.sim.device(stack.deviceId)?.alwaysPxe)} (a RAM image boots from the network every time); ${stack.sim.violations().length} Metal API spec violations`);
    } else {
      say('the demo stops here: the Debian installer is up and would now install the system. Nothing was reported ' +
        'in its place, so the re-image is not "installed" (`--full` runs the image-based install on to an installed OS).');
    }
    if (options.keep) say(`kept ${dir}`);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}
