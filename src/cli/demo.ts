/**
 * `metalboot demo` (`npm run demo`): the whole re-image story on one machine, no config needed.
 * Installs missing Debian packages (as root), builds the Debian image from the local installer
 * package, starts the metalboot server and the Metal API simulator, re-images a simulated device
 * whose "hardware" is a QEMU VM, streams its serial console until the installer is up, prints the
 * phase timeline, and cleans everything up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Firmware } from '../config/types.js';
import { MetalbootError, UsageError } from '../errors.js';
import type { Stack } from '../demo/stack.js';

interface DemoOptions {
  firmware: string;
  timeout: string;
  console: boolean;
  keep?: boolean;
}

const say = (text: string): void => void process.stderr.write(`\n==> ${text}\n`);

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .option('--firmware <which>', 'bios or uefi', 'bios')
    .option('--timeout <seconds>', 'give up after this many seconds', '600')
    .option('--no-console', 'do not stream the serial console')
    .option('--keep', 'keep the scratch directory (config, logs, console) afterwards')
    .summary('re-image a simulated Metal device backed by a local QEMU VM, end to end')
    .description(
      'Runs on a Debian 12 machine as root, with nothing else set up: installs the missing Debian packages the demo ' +
        'needs (src/host/packages.ts: QEMU, firmware, the Debian netboot installer, namespace tools), builds the Debian installer image, starts ' +
        'the metalboot server and a local Equinix Metal API simulator, runs `metalboot reimage web-1 --provider metal --wait`, ' +
        'streams the device\'s serial console (ttyS1) until the installer is up, and prints the phase timeline. ' +
        'Nothing leaves the machine: the VM and the CLI run in a private network namespace.',
    )
    .action(async (options: DemoOptions) => {
      if (options.firmware !== 'bios' && options.firmware !== 'uefi') throw new UsageError(`--firmware must be bios or uefi, got "${options.firmware}"`);
      const timeout = Number(options.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a number of seconds, got "${options.timeout}"`);
      await ensurePackages();
      await runDemo(options.firmware, timeout * 1000, options);
    });
}

/** As root: installs the demo's missing Debian packages; otherwise stops with the apt-get line. */
async function ensurePackages(): Promise<void> {
  const { ensurePackages: ensure } = await import('../host/ensure.js');
  const { packagesFor } = await import('../host/packages.js');
  await ensure(packagesFor('demo'), { log: say });
}

async function runDemo(firmware: Firmware, timeoutMs: number, options: DemoOptions): Promise<void> {
  const { runReimageScenario } = await import('../demo/scenario.js');
  const { redactTokens } = await import('../config/device-token.js');
  const { startStack } = await import('../demo/stack.js');
  const { formatTimeline } = await import('../demo/timeline.js');
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
    say(`building the Debian 12 installer image and starting the server + Metal simulator (in ${dir})`);
    stack = await startStack({ dir, firmware, vmTimeoutMs: timeoutMs, operatingSystem: 'custom_ipxe' });
    say(`metalboot reimage ${stack.device} --provider metal --wait   (device ${stack.deviceId}, ${firmware.toUpperCase()})`);
    const result = await runReimageScenario(stack, {
      timeoutMs,
      onMark: (mark) => say(`+${(mark.atMs / 1000).toFixed(1)}s  ${mark.phase}${mark.detail ? `  ${redactTokens(mark.detail)}` : ''}`),
      ...(options.console ? { onConsole: (text: string) => void process.stdout.write(redactTokens(text)) } : {}),
    });
    process.stderr.write(`\n${result.stderr.trim() ? `metalboot reimage said:\n${result.stderr}` : ''}`);
    say(`timeline from "reimage" to the installer on ttyS1 (${firmware.toUpperCase()}, software emulation):`);
    process.stderr.write(formatTimeline(result.marks));
    if (result.exitCode !== 0) throw new MetalbootError(`metalboot reimage exited with ${String(result.exitCode)}`, { hint: `logs in ${dir} (run with --keep to look at them)` });
    const alwaysPxe = stack.sim.device(stack.deviceId)?.alwaysPxe;
    say(`done: the device reported success and always_pxe is ${String(alwaysPxe)} again; ${stack.sim.violations().length} Metal API spec violations`);
    if (options.keep) say(`kept ${dir}`);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}
