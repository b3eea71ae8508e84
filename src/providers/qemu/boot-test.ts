/**
 * `boot-test`: builds the image, serves it exactly as `metalboot serve` would (the device's own
 * rendered script, content-addressed assets, boot events), boots it in a QEMU VM per firmware and
 * decides from ttyS1 (and the firmware's ttyS0) whether it booted. Never hangs: known failure
 * lines end the boot at once, and every boot has a hard deadline.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config, Firmware } from '../../config/types.js';
import { loadServerSecret } from '../../config/secret.js';
import type { BootEvent } from '../../events/types.js';
import { MetalbootError } from '../../errors.js';
import { buildImage } from '../../image/build.js';
// eslint-disable-next-line boundaries/dependencies -- s9-boot moves boot-test out of providers/ (issue 9)
import { createLogger, startServer } from '../../server/index.js';
// eslint-disable-next-line boundaries/dependencies -- s9-boot moves boot-test out of providers/ (issue 9)
import type { RunningServer } from '../../server/index.js';
import { bootTarget, expectedKernelArgs } from './boot-target.js';
import type { BootTarget } from './boot-target.js';
import { consoleText, lastLines } from './console-text.js';
import { assertHostReady } from './host-check.js';
import { startVm } from './vm.js';
import { redactTokens } from '../../config/device-token.js';

export const GUEST_PORT = 8080;
/** Lines that mean the boot cannot succeed (iPXE, firmware, kernel). */
export const FAILURE = /Could not boot image|Exec format error|No bootable device|Kernel panic|VFS: Unable to mount root fs|Boot failed|Nothing to boot|not a valid kernel/;
/** Default success after the expected command line: the kernel hands over to the initrd's init. */
export const INIT_STARTED = /Run \S+ as init process/;

export type BootPhase = 'vm started' | 'script' | 'kernel' | 'initrd' | 'kernel up' | 'success';

export interface FirmwareResult {
  readonly firmware: Firmware;
  readonly ok: boolean;
  /** Milliseconds since the VM started, per phase reached. */
  readonly phases: Partial<Record<BootPhase, number>>;
  readonly reached: BootPhase;
  readonly error?: string;
  /** The last 40 console lines (ttyS1; the firmware's ttyS0 when ttyS1 stayed empty). */
  readonly consoleTail?: string[];
  readonly consoleTailFrom?: 'ttyS1' | 'ttyS0 (firmware and iPXE)';
  readonly consoleLog: string;
}

export interface BootTestOptions {
  readonly firmwares: readonly Firmware[];
  readonly timeoutMs: number;
  readonly expect?: RegExp;
  /** Keep the scratch directory (logs) instead of removing it. */
  readonly keepDir?: boolean;
  readonly onPhase?: (firmware: Firmware, phase: BootPhase, ms: number, detail?: string) => void;
}

export interface BootTestResult {
  readonly image: string;
  readonly device: string;
  readonly expectedArgs: readonly string[];
  readonly results: readonly FirmwareResult[];
  readonly workDir: string;
}

export async function runBootTest(config: Config, key: string, options: BootTestOptions): Promise<BootTestResult> {
  for (const firmware of options.firmwares) await assertHostReady({ firmware });
  const target = bootTarget(config, key, GUEST_PORT);
  const { manifest } = await buildImage(config, target.imageName);
  if (!manifest.variants.x86_64) {
    throw new MetalbootError(`image ${target.imageName} has no x86_64 variant, and boot-test boots x86_64 VMs only`, { hint: 'add x86_64 to the image\'s arch' });
  }
  const expectedArgs = expectedKernelArgs(target, manifest);
  const workDir = await mkdtemp(join(tmpdir(), 'mb-boot-'));
  const secret = await loadServerSecret(config.server.stateDir);
  const server = await startServer({
    config: target.config, secret, listen: false, socketPath: join(workDir, 'server.sock'), eventsFile: join(workDir, 'events.db'),
    logger: createLogger({ level: 'info', destination: join(workDir, 'server.log') }),
  });
  const results: FirmwareResult[] = [];
  // Ctrl-C: the VM registry kills the VM; the scratch directory goes too (process.on, see vm-registry).
  const interrupted = (): void => {
    if (!options.keepDir) rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  try {
    for (const firmware of options.firmwares) results.push(await bootOnce(target, server, firmware, expectedArgs, join(workDir, firmware), options));
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await server.close(1_000);
    if (!options.keepDir) await rm(workDir, { recursive: true, force: true });
  }
  return { image: target.imageName, device: target.device.name, expectedArgs, results, workDir };
}

async function bootOnce(target: BootTarget, server: RunningServer, firmware: Firmware, expectedArgs: readonly string[], dir: string, options: BootTestOptions): Promise<FirmwareResult> {
  const phases: Partial<Record<BootPhase, number>> = {};
  let reached: BootPhase = 'vm started';
  let started = Date.now();
  const note = (phase: BootPhase, detail?: string): void => {
    if (phases[phase] !== undefined) return;
    phases[phase] = Date.now() - started;
    reached = phase;
    options.onPhase?.(firmware, phase, phases[phase], detail);
  };
  const fetches: Record<string, number> = {};
  const unsubscribe = server.context.events.subscribe((event: BootEvent) => {
    if (event.device !== target.device.name) return;
    fetches[event.kind] = (fetches[event.kind] ?? 0) + 1;
    if (event.kind === 'script' || event.kind === 'kernel' || event.kind === 'initrd') note(event.kind, event.path);
  });
  const vm = await startVm({
    firmware, workDir: dir, bootUrl: `${target.config.server.publicUrl}/ipxe/${encodeURIComponent(target.device.name)}`,
    forwards: [{ guestPort: GUEST_PORT, socketPath: server.socketPath! }],
    ...(target.device.macs[0] ? { mac: target.device.macs[0] } : {}),
    ...(target.device.uuid ? { uuid: target.device.uuid } : {}),
    timeoutMs: options.timeoutMs + 5_000,
  });
  started = Date.now();
  note('vm started');
  const deadline = started + options.timeoutMs;
  let error: string | undefined;
  try {
    for (;;) {
      const done = (await Promise.race([vm.exited.then(() => true), sleep(300).then(() => false)]));
      const text = consoleText(await vm.readConsole());
      const firmwareText = consoleText(await readFile(vm.ttyS0Log, 'utf8').catch(() => ''));
      const cmdline = /Kernel command line: (.*)/.exec(text);
      if (cmdline && phases['kernel up'] === undefined) {
        const missing = expectedArgs.filter((arg) => !cmdline[1]!.split(/\s+/).includes(arg));
        if (missing.length > 0) {
          error = `the kernel command line lacks ${missing.join(' ')}: ${redactTokens(cmdline[1]!)}`;
          break;
        }
        note('kernel up');
      }
      if (phases['kernel up'] !== undefined && (options.expect ?? INIT_STARTED).test(text)) {
        note('success');
        break;
      }
      const failure = FAILURE.exec(text) ?? FAILURE.exec(firmwareText);
      if (failure) {
        error = `boot failed: "${lineOf(text.includes(failure[0]) ? text : firmwareText, failure.index)}"`;
        break;
      }
      if ((fetches.kernel ?? 0) >= 3 && phases.initrd === undefined) {
        error = `iPXE downloaded the kernel ${fetches.kernel} times and never went on to the initrd: it refuses the kernel (not a bzImage/EFI kernel?) or the download breaks`;
        break;
      }
      if (done) {
        error = `the VM exited (code ${String(await vm.exited)}) before ${phases['kernel up'] === undefined ? 'the kernel came up' : 'success'}`;
        break;
      }
      if (Date.now() > deadline) {
        error = `no ${phases['kernel up'] === undefined ? 'kernel command line' : `match for ${String(options.expect ?? INIT_STARTED)}`} within ${Math.round(options.timeoutMs / 1000)} s`;
        break;
      }
    }
  } finally {
    unsubscribe();
    await vm.stop();
  }
  const consoleLog = consoleText(await vm.readConsole());
  if (!error) return { firmware, ok: true, phases, reached, consoleLog };
  const firmwareLog = consoleText(await readFile(vm.ttyS0Log, 'utf8').catch(() => ''));
  const tail = lastLines(consoleLog, 40);
  const fromKernel = tail.length > 0;
  return {
    firmware, ok: false, phases, reached, error, consoleLog,
    consoleTail: fromKernel ? tail : lastLines(firmwareLog, 40), consoleTailFrom: fromKernel ? 'ttyS1' : 'ttyS0 (firmware and iPXE)',
  };
}

function lineOf(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end === -1 ? undefined : end).trim();
}
