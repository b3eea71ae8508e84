/**
 * `boot-test`: builds the image, serves it exactly as `metalboot serve` would (the device's own
 * rendered script, content-addressed assets, boot events), boots it in a QEMU VM per firmware and
 * decides from the kernel's console (ttyS1, or ttyS0 when the kernel line says so) and the
 * firmware's ttyS0 whether it booted (judge.ts). Never hangs: known failure
 * lines end the boot at once, and every boot has a hard deadline.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config, Firmware } from '../config/types.js';
import { loadServerSecret } from '../config/secret.js';
import type { BootEvent } from '../events/types.js';
import { MetalbootError } from '../errors.js';
import { buildImage } from '../image/build.js';
import { createLogger, startServer } from '../server/index.js';
import type { RunningServer } from '../server/index.js';
import { bootExpectations, bootTarget } from './target.js';
import type { BootExpectations, BootTarget } from './target.js';
import { judgeConsole } from './judge.js';
import type { BootPhase, BootTestOptions, BootTestResult, FirmwareResult } from './types.js';
import { consoleText, lastLines } from '../vm/console-text.js';
import { assertHostReady } from '../vm/host-check.js';
import { startVm } from '../vm/vm.js';

export const GUEST_PORT = 8080;

export async function runBootTest(config: Config, key: string, options: BootTestOptions): Promise<BootTestResult> {
  for (const firmware of options.firmwares) await assertHostReady({ firmware });
  const target = bootTarget(config, key, GUEST_PORT);
  const { manifest } = await buildImage(config, target.imageName);
  if (!manifest.variants.x86_64) {
    throw new MetalbootError(`image ${target.imageName} has no x86_64 variant, and boot-test boots x86_64 VMs only`, { hint: 'add x86_64 to the image\'s arch' });
  }
  const secret = await loadServerSecret(config.server.stateDir);
  const expected = bootExpectations(target, manifest, secret);
  const workDir = await mkdtemp(join(tmpdir(), 'mb-boot-'));
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
    for (const firmware of options.firmwares) results.push(await bootOnce(target, server, firmware, expected, join(workDir, firmware), options));
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await server.close(1_000);
    if (!options.keepDir) await rm(workDir, { recursive: true, force: true });
  }
  return { image: target.imageName, device: target.device.name, expectedArgs: expected.kernelArgs, results, workDir };
}

async function bootOnce(target: BootTarget, server: RunningServer, firmware: Firmware, expected: BootExpectations, dir: string, options: BootTestOptions): Promise<FirmwareResult> {
  const phases: Partial<Record<BootPhase, number>> = {};
  let reached: BootPhase = 'vm started';
  let started = Date.now();
  const note = (phase: BootPhase, detail?: string): void => {
    if (phases[phase] !== undefined) return;
    phases[phase] = Date.now() - started;
    reached = phase;
    options.onPhase?.(firmware, phase, phases[phase], detail);
  };
  const fetches: Partial<Record<'kernel' | 'initrd', number>> = {};
  const unsubscribe = server.context.events.subscribe((event: BootEvent) => {
    if (event.device !== target.device.name) return;
    if (event.kind === 'kernel' || event.kind === 'initrd') fetches[event.kind] = (fetches[event.kind] ?? 0) + 1;
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
  const kernelLog = expected.console === 'ttyS0' ? vm.ttyS0Log : vm.ttyS1Log;
  const readKernelConsole = async (): Promise<string> => consoleText(await readFile(kernelLog, 'utf8').catch(() => ''));
  const expectations = { kernelArgs: expected.kernelArgs, timeoutMs: options.timeoutMs, ...(options.expect ? { success: options.expect } : {}) };
  let error: string | undefined;
  try {
    for (;;) {
      const done = await Promise.race([vm.exited.then(() => true), sleep(300).then(() => false)]);
      const verdict = judgeConsole({
        console: await readKernelConsole(),
        firmware: consoleText(await readFile(vm.ttyS0Log, 'utf8').catch(() => '')),
        fetches,
        ...(done ? { exited: { code: await vm.exited } } : {}),
        timedOut: Date.now() > deadline,
      }, expectations);
      if (verdict.kernelUp) note('kernel up');
      if (verdict.outcome === 'success') note('success');
      if (verdict.outcome !== 'booting') {
        error = verdict.error;
        break;
      }
    }
  } finally {
    unsubscribe();
    await vm.stop();
  }
  const consoleLog = await readKernelConsole();
  if (!error) return { firmware, ok: true, phases, reached, consoleLog };
  const firmwareLog = consoleText(await readFile(vm.ttyS0Log, 'utf8').catch(() => ''));
  const tail = lastLines(consoleLog, 40);
  const fromKernel = tail.length > 0 && expected.console === 'ttyS1';
  return {
    firmware, ok: false, phases, reached, error, consoleLog,
    consoleTail: fromKernel ? tail : lastLines(firmwareLog, 40), consoleTailFrom: fromKernel ? 'ttyS1' : 'ttyS0 (firmware and iPXE)',
  };
}
