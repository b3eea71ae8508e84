/**
 * Starts one network-booting QEMU VM inside a private network namespace and follows its console.
 *
 *   metalboot ──spawn, own process group──▶ unshare -n node -e RELAY_SCRIPT ──▶ qemu-system-x86_64
 *                                            (lo up; 127.0.0.1:guestPort → host unix socket)
 *
 * The guest reaches 10.0.2.2:<guestPort> (QEMU user networking → the namespace's loopback → the
 * relay → the unix socket the metalboot server listens on). Nothing else is reachable.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { MetalbootError } from '../../errors.js';
import { consoleText, lastLines } from './console-text.js';
import { assertHostReady, DEFAULT_OVMF_VARS, findProgram } from './host-check.js';
import { QEMU_BINARY, qemuArgs } from './qemu-args.js';
import type { QemuArgsInput } from './qemu-args.js';
import { RELAY_SCRIPT } from './relay-script.js';
import { killGroup, trackVm, untrackVm } from './vm-registry.js';

export interface StartVmOptions extends Omit<QemuArgsInput, 'ttyS0Log' | 'ttyS1Log' | 'ovmfVars'> {
  /** Logs (ttyS0.log, ttyS1.log, qemu.log) and the per-VM OVMF vars copy go here. */
  workDir: string;
  /** Inside the namespace: 127.0.0.1:guestPort (the guest's 10.0.2.2:guestPort) → unix socket on the host fs. */
  forwards: { guestPort: number; socketPath: string }[];
  /** Hard kill after this many milliseconds. */
  timeoutMs?: number;
  /** Leave the VM running when this process exits (`--keep`); stop() still kills it. */
  keep?: boolean;
}

export interface RunningVm {
  ttyS0Log: string;
  ttyS1Log: string;
  /** QEMU's own stdout/stderr (and the relay's messages). */
  qemuLog?: string;
  pid?: number;
  /** Polls the ttyS1 log (as plain text); rejects with the last 40 lines on timeout or VM exit. */
  waitForConsole(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  readConsole(): Promise<string>;
  stop(): Promise<void>;
  /** QEMU's exit code; null when it was killed by a signal. */
  readonly exited: Promise<number | null>;
}

const POLL_MS = 250;
const STOP_GRACE_MS = 3_000;

export async function startVm(opts: StartVmOptions): Promise<RunningVm> {
  await assertHostReady({ firmware: opts.firmware, ...(opts.ovmfCode ? { ovmfCode: opts.ovmfCode } : {}) });
  await mkdir(opts.workDir, { recursive: true });
  const ttyS0Log = join(opts.workDir, 'ttyS0.log');
  const ttyS1Log = join(opts.workDir, 'ttyS1.log');
  const qemuLog = join(opts.workDir, 'qemu.log');
  await Promise.all([writeFile(ttyS0Log, ''), writeFile(ttyS1Log, ''), writeFile(qemuLog, '')]);
  let ovmfVars: string | undefined;
  if (opts.firmware === 'uefi') {
    ovmfVars = join(opts.workDir, 'OVMF_VARS.fd');
    await copyFile(DEFAULT_OVMF_VARS, ovmfVars);
  }
  const { workDir: _w, forwards, timeoutMs, keep, ...argsInput } = opts;
  const args = qemuArgs({ ...argsInput, ttyS0Log, ttyS1Log, ...(ovmfVars ? { ovmfVars } : {}) });
  const ip = (await findProgram('ip')) ?? 'ip';
  const config = JSON.stringify({ ip, forwards, watchStdin: !keep, qemu: { file: QEMU_BINARY, args } });
  const unshareArgs = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];

  const stdin: 'ignore' | 'pipe' = keep ? 'ignore' : 'pipe';
  const child = execa('unshare', [...unshareArgs, '--', process.execPath, '-e', RELAY_SCRIPT, config], {
    detached: true,
    buffer: false,
    reject: false,
    stdin,
    stdout: { file: qemuLog, append: true },
    stderr: { file: qemuLog, append: true },
  });
  const spawnedPid = child.pid;
  if (spawnedPid === undefined) {
    await child;
    throw new MetalbootError('could not start the VM (unshare failed to spawn)', { hint: `see ${qemuLog}` });
  }
  const pgid: number = spawnedPid;
  if (keep) child.unref();
  else trackVm(pgid);

  let done = false;
  const exited: Promise<number | null> = child.then((result) => {
    done = true;
    untrackVm(pgid);
    killGroup(pgid, 'SIGKILL'); // anything left in the group (a QEMU whose relay died)
    return result.exitCode ?? null;
  });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => void stop(), timeoutMs);
  void exited.then(() => clearTimeout(timer));

  async function stop(): Promise<void> {
    if (done) return;
    killGroup(pgid, 'SIGTERM');
    const killer = setTimeout(() => killGroup(pgid, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(killer);
  }

  const readConsole = async (): Promise<string> => readFile(ttyS1Log, 'utf8');

  async function waitForConsole(pattern: RegExp, waitMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const finished = done; // read after checking, so the last output before exit is seen
      const text = consoleText(await readConsole());
      const match = text.match(pattern);
      if (match) return match;
      if (finished || Date.now() >= deadline) {
        const why = finished ? `the VM exited (code ${String(await exited)})` : `${Math.round(waitMs / 1000)} s passed`;
        const tail = lastLines(text, 40).join('\n');
        const qemuOut = (await readFile(qemuLog, 'utf8').catch(() => '')).trim();
        throw new MetalbootError(
          `console never showed ${String(pattern)}: ${why}.\n--- last 40 lines of ttyS1 (${ttyS1Log}) ---\n${tail || '(empty)'}` +
            (qemuOut ? `\n--- qemu (${qemuLog}) ---\n${lastLines(qemuOut, 10).join('\n')}` : ''),
          { code: 'E_CONSOLE_TIMEOUT', hint: 'the console lines above show how far the boot got' },
        );
      }
      await sleep(POLL_MS);
    }
  }

  return { ttyS0Log, ttyS1Log, qemuLog, pid: pgid, waitForConsole, readConsole, stop, exited };
}
