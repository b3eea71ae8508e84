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
import { MetalbootError } from '../errors.js';
import { consoleText, lastLines } from './console-text.js';
import { OVMF_VARS } from '../host/debian-files.js';
import { assertHostReady } from './host-check.js';
import { spawnInNetns } from './netns.js';
import { QEMU_BINARY, qemuArgs } from './qemu-args.js';
import type { QemuArgsInput } from './qemu-args.js';

export interface StartVmOptions extends Omit<QemuArgsInput, 'ttyS0Log' | 'ttyS1Log' | 'ovmfVars'> {
  /** Logs (ttyS0.log, ttyS1.log, qemu.log) and the per-VM OVMF vars copy go here. */
  workDir: string;
  /** Inside the namespace: 127.0.0.1:guestPort (the guest's 10.0.2.2:guestPort) → unix socket on the host fs. */
  forwards: { guestPort: number; socketPath: string }[];
  /** Hard kill after this many milliseconds. */
  timeoutMs?: number;
  /** Leave the VM running when this process exits (`--keep`); stop() still kills it. */
  keep?: boolean;
  /** The VM does not keep this process alive (it still dies when the process exits, unless `keep`). */
  unref?: boolean;
}

export interface RunningVm {
  ttyS0Log: string;
  ttyS1Log: string;
  /** QEMU's own stdout/stderr (and the relay's messages). */
  qemuLog?: string;
  /** Process group id of the VM (relay + QEMU). */
  pid?: number;
  /** Polls the ttyS1 log (as plain text); rejects with the last 40 lines on timeout or VM exit. */
  waitForConsole(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  readConsole(): Promise<string>;
  stop(): Promise<void>;
  /** QEMU's exit code; null when it was killed by a signal. */
  readonly exited: Promise<number | null>;
}

const POLL_MS = 250;

export async function startVm(opts: StartVmOptions): Promise<RunningVm> {
  await assertHostReady({ firmware: opts.firmware, ...(opts.ovmfCode ? { ovmfCode: opts.ovmfCode } : {}) });
  await mkdir(opts.workDir, { recursive: true });
  const ttyS0Log = join(opts.workDir, 'ttyS0.log');
  const ttyS1Log = join(opts.workDir, 'ttyS1.log');
  const qemuLog = join(opts.workDir, 'qemu.log');
  await Promise.all([writeFile(ttyS0Log, ''), writeFile(ttyS1Log, ''), writeFile(qemuLog, '')]);
  let serconFile: string | undefined;
  if (opts.firmware === 'bios') {
    serconFile = join(opts.workDir, 'sercon-port.bin');
    await writeFile(serconFile, Buffer.from([0xf8, 0x03])); // COM1 = ttyS0
  }
  let ovmfVars: string | undefined;
  if (opts.firmware === 'uefi') {
    ovmfVars = join(opts.workDir, 'OVMF_VARS.fd');
    await copyFile(OVMF_VARS, ovmfVars);
  }
  const { workDir: _w, forwards, timeoutMs, keep, unref, ...argsInput } = opts;
  const args = qemuArgs({ ...argsInput, ttyS0Log, ttyS1Log, ...(ovmfVars ? { ovmfVars } : {}), ...(serconFile ? { serconFile } : {}) });
  const proc = await spawnInNetns({
    file: QEMU_BINARY, args, forwards, output: { file: qemuLog },
    ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(keep ? { keep } : {}), ...(unref ? { unref } : {}),
  });

  const readConsole = async (): Promise<string> => readFile(ttyS1Log, 'utf8');

  async function waitForConsole(pattern: RegExp, waitMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const finished = proc.isDone(); // read after checking, so the last output before exit is seen
      const text = consoleText(await readConsole());
      const match = text.match(pattern);
      if (match) return match;
      if (finished || Date.now() >= deadline) {
        const why = finished ? `the VM exited (code ${String(await proc.exited)})` : `${Math.round(waitMs / 1000)} s passed`;
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

  return { ttyS0Log, ttyS1Log, qemuLog, pid: proc.pgid, waitForConsole, readConsole, stop: proc.stop, exited: proc.exited };
}
