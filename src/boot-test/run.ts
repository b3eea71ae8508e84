/**
 * `boot-test`: builds the image, serves it exactly as `metalboot serve` would (the device's own
 * rendered script, content-addressed assets, boot events), boots it in a QEMU VM per arch and
 * firmware (runs.ts; one after the other, against the same server) and decides from the kernel's
 * console (x86_64: ttyS1, or ttyS0 when the kernel line says so; arm64: ttyAMA0) and the
 * firmware's whether it booted (judge.ts). Never hangs: known failure lines end the boot at once,
 * and every boot has a hard deadline.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/types.js';
import { BootStore } from '../boots/store.js';
import { loadServerSecret } from '../config/secret.js';
import type { BootEvent } from '../events/types.js';
import { MetalbootError } from '../errors.js';
import { buildImage } from '../image/build.js';
import { createLogger, startServer } from '../server/index.js';
import type { RunningServer } from '../server/index.js';
import { bootExpectations, bootTarget } from './target.js';
import type { BootExpectations, BootTarget } from './target.js';
import { judgeConsole } from './judge.js';
import type { BootFetch, BootPhase, BootRun, BootTestOptions, BootTestResult, FirmwareResult } from './types.js';
import { consoleText, lastLines } from '../vm/console-text.js';
import { assertHostReady } from '../vm/host-check.js';
import { VM_MACHINES } from '../vm/machine.js';
import { startVm } from '../vm/vm.js';

export const GUEST_PORT = 8080;

export async function runBootTest(config: Config, key: string, options: BootTestOptions): Promise<BootTestResult> {
  for (const run of options.runs) await assertHostReady(run);
  const target = bootTarget(config, key, GUEST_PORT);
  const { manifest } = await buildImage(config, target.imageName);
  const arches = [...new Set(options.runs.map((run) => run.arch))];
  const lacking = arches.filter((arch) => !manifest.variants[arch]);
  if (lacking.length > 0) {
    const has = Object.keys(manifest.variants);
    throw new MetalbootError(`image ${target.imageName} has no ${lacking.join(' or ')} variant to boot`, {
      hint: `it has ${has.join(' and ') || 'no variant'}: give --arch ${has.length > 1 ? 'both' : has[0] ?? 'x86_64'}, or add ${lacking.join(' and ')} to the image's arch`,
    });
  }
  const secret = await loadServerSecret(config.server.stateDir);
  const workDir = await mkdtemp(join(tmpdir(), 'mb-boot-'));
  // the VM's boot is armed (src/boots/) in the test's own store: its script URL carries the token
  const boots = new BootStore(join(workDir, 'boots.db'));
  const { token } = boots.arm(target.device.name);
  boots.close();
  const expected = new Map(arches.map((arch) => [arch, bootExpectations(target, manifest, token, arch)] as const));
  const server = await startServer({
    config: target.config, secret, listen: false, socketPath: join(workDir, 'server.sock'), eventsFile: join(workDir, 'events.db'), bootsFile: join(workDir, 'boots.db'),
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
    for (const run of options.runs) {
      results.push(await bootOnce(target, server, run, expected.get(run.arch)!, join(workDir, `${run.arch}-${run.firmware}`), { ...options, token }));
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await server.close(1_000);
    if (!options.keepDir) await rm(workDir, { recursive: true, force: true });
  }
  return { image: target.imageName, device: target.device.name, results, workDir };
}

async function bootOnce(target: BootTarget, server: RunningServer, run: BootRun, expected: BootExpectations, dir: string, options: BootTestOptions & { token: string }): Promise<FirmwareResult> {
  const phases: Partial<Record<BootPhase, number>> = {};
  let reached: BootPhase = 'vm started';
  let started = Date.now();
  const note = (phase: BootPhase, detail?: string): void => {
    if (phases[phase] !== undefined) return;
    phases[phase] = Date.now() - started;
    reached = phase;
    options.onPhase?.(run, phase, phases[phase], detail);
  };
  const fetches: Partial<Record<'kernel' | 'initrd', number>> = {};
  const fetched: BootFetch[] = [];
  const unsubscribe = server.context.events.subscribe((event: BootEvent) => {
    if (event.device !== target.device.name) return;
    if (event.kind !== 'script' && event.kind !== 'kernel' && event.kind !== 'initrd') return;
    if (event.kind !== 'script') fetches[event.kind] = (fetches[event.kind] ?? 0) + 1;
    fetched.push({ kind: event.kind, path: event.path ?? '' });
    note(event.kind, event.path);
  });
  const vm = await startVm({
    ...run, workDir: dir, bootUrl: `${target.config.server.publicUrl}/ipxe/${encodeURIComponent(target.device.name)}?token=${options.token}`,
    forwards: [{ guestPort: GUEST_PORT, socketPath: server.socketPath! }],
    ...(target.device.macs[0] ? { mac: target.device.macs[0] } : {}),
    ...(target.device.uuid ? { uuid: target.device.uuid } : {}),
    timeoutMs: options.timeoutMs + 5_000,
  });
  started = Date.now();
  note('vm started');
  const deadline = started + options.timeoutMs;
  const kernelLog = vm.serialLogs[expected.console] ?? vm.consoleLog;
  const readText = async (file: string): Promise<string> => consoleText(await readFile(file, 'utf8').catch(() => ''));
  const expectations = { kernelArgs: expected.kernelArgs, timeoutMs: options.timeoutMs, ...(options.expect ? { success: options.expect } : {}) };
  let error: string | undefined;
  try {
    for (;;) {
      const done = await Promise.race([vm.exited.then(() => true), sleep(300).then(() => false)]);
      const verdict = judgeConsole({
        console: await readText(kernelLog),
        firmware: await readText(vm.firmwareLog),
        fetches,
        ...(done ? { exited: { code: await vm.exited } } : {}),
        timedOut: Date.now() > deadline,
      }, expectations);
      if (verdict.ipxe) note('ipxe');
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
  const consoleLog = await readText(kernelLog);
  const result = { ...run, phases, reached, expectedArgs: expected.kernelArgs, fetched, consolePort: expected.console, consoleLog };
  if (!error) return { ...result, ok: true };
  const tail = lastLines(consoleLog, 40);
  const shared = kernelLog === vm.firmwareLog; // arm64's ttyAMA0, or an x86 kernel told to use ttyS0
  const fromKernel = shared || tail.length > 0;
  const firmwarePort = VM_MACHINES[run.arch].firmwareConsole;
  return {
    ...result, ok: false, error,
    consoleTail: fromKernel ? tail : lastLines(await readText(vm.firmwareLog), 40),
    consoleTailFrom: shared ? `${expected.console} (firmware, iPXE and the kernel)` : fromKernel ? expected.console : `${firmwarePort} (firmware and iPXE)`,
  };
}
