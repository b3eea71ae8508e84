/**
 * Starts one network-booting QEMU VM (x86_64 or arm64, machine.ts) inside a private network
 * namespace and follows its console.
 *
 *   metalboot ──spawn, own process group──▶ unshare -n node -e RELAY_SCRIPT ──▶ qemu-system-x86_64|aarch64
 *                                            (lo up; 127.0.0.1:guestPort → host unix socket)
 *
 * The guest reaches 10.0.2.2:<guestPort> (QEMU user networking → the namespace's loopback → the
 * relay → the unix socket the metalboot server listens on). Nothing else is reachable.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Arch } from '../config/types.js';
import { MetalbootError } from '../errors.js';
import { consoleText, lastLines } from './console-text.js';
import { assertHostReady } from './host-check.js';
import type { VmSerial } from './machine.js';
import { VM_MACHINES } from './machine.js';
import { spawnInNetns } from './netns.js';
import { watchQmp } from './qmp.js';
import { prepareVmFiles } from './vm-files.js';
import type { VmFilesInput } from './vm-files.js';

export interface StartVmOptions extends VmFilesInput {
  /** Logs (`<serial port>.log`, qemu.log) and the per-VM firmware vars copy go here. */
  workDir: string;
  /** Inside the namespace: 127.0.0.1:guestPort (the guest's 10.0.2.2:guestPort) → unix socket on the host fs. */
  forwards: { guestPort: number; socketPath: string }[];
  /** Hard kill after this many milliseconds. */
  timeoutMs?: number;
  /** Leave the VM running when this process exits (`--keep`); stop() still kills it. */
  keep?: boolean;
  /** The VM does not keep this process alive (it still dies when the process exits, unless `keep`). */
  unref?: boolean;
  /** The guest's SSH port (22) is reachable from the host at this unix socket (x86_64, user networking only). */
  sshSocket?: string;
  /**
   * Runs QEMU through this inside the namespace, e.g. a script that builds the taps' network
   * (bridge, switch, DHCP) and then `exec`s QEMU. Default: QEMU itself.
   */
  launch?: (qemu: { file: string; args: readonly string[] }) => Promise<{ file: string; args: readonly string[] }>;
}

/** Inside the VM's own namespace, QEMU forwards this loopback port to the guest's 22 (no clash: one VM per namespace). */
const SSH_NETNS_PORT = 2222;

export interface RunningVm {
  readonly arch: Arch;
  /** The log of each serial port: ttyS0 and ttyS1 on x86_64, ttyAMA0 on arm64. */
  readonly serialLogs: Readonly<Partial<Record<VmSerial, string>>>;
  /** Linux's console by default, Metal's SOS console (ttyS1; arm64: ttyAMA0). */
  readonly consoleLog: string;
  /** Where firmware and iPXE print (ttyS0; arm64: ttyAMA0, the same file as consoleLog). */
  readonly firmwareLog: string;
  /** QEMU's own stdout/stderr (and the relay's messages). */
  qemuLog?: string;
  /** Process group id of the VM (relay + QEMU). */
  pid?: number;
  /** Unix socket on the host that reaches the guest's SSH port, when asked for. */
  readonly sshSocket?: string;
  /** Polls the console log (as plain text); rejects with the last 40 lines on timeout or VM exit. */
  waitForConsole(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  readConsole(): Promise<string>;
  stop(): Promise<void>;
  /** QEMU's exit code; null when it was killed by a signal. */
  readonly exited: Promise<number | null>;
  /**
   * With `exitOnReboot`: resolves true when QEMU ended because the guest rebooted (QMP's reason
   * `guest-reset`), false for any other end (power-off, stop(), a crash, the timeout).
   */
  readonly rebooted: Promise<boolean>;
}

const POLL_MS = 250;

export async function startVm(opts: StartVmOptions): Promise<RunningVm> {
  const arch = opts.arch ?? 'x86_64';
  const machine = VM_MACHINES[arch];
  await assertHostReady({
    arch, firmware: opts.firmware,
    ...(opts.ovmfCode ? { ovmfCode: opts.ovmfCode } : {}), ...(opts.aavmfCode ? { aavmfCode: opts.aavmfCode } : {}), ...(opts.ipxeEfi ? { ipxeEfi: opts.ipxeEfi } : {}),
  });
  const { workDir, forwards, timeoutMs, keep, unref, sshSocket, launch, ...input } = opts;
  const ssh = sshSocket !== undefined && arch === 'x86_64' && input.taps === undefined;
  const qemu = await prepareVmFiles({ ...input, ...(ssh ? { sshHostPort: SSH_NETNS_PORT } : {}) }, workDir);
  const { serialLogs, qemuLog, qmpSocket } = qemu;
  const { file, args } = launch ? await launch({ file: qemu.file, args: qemu.args }) : qemu;
  const proc = await spawnInNetns({
    file, args, forwards, output: { file: qemuLog }, ...(ssh ? { exposes: [{ socketPath: sshSocket, port: SSH_NETNS_PORT }] } : {}),
    ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(keep ? { keep } : {}), ...(unref ? { unref } : {}),
  });
  const qmp = qmpSocket === undefined ? undefined : await watchQmp(qmpSocket);
  const rebooted = proc.exited.then(async (code) => {
    if (!qmp) return false;
    await Promise.race([qmp.ended, sleep(1_000)]);
    qmp.close();
    return code === 0 && qmp.shutdownReason() === 'guest-reset';
  });
  const consoleLog = serialLogs[machine.console] ?? '';
  const firmwareLog = serialLogs[machine.firmwareConsole] ?? '';

  const readConsole = async (): Promise<string> => readFile(consoleLog, 'utf8');

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
          `console never showed ${String(pattern)}: ${why}.\n--- last 40 lines of ${machine.console} (${consoleLog}) ---\n${tail || '(empty)'}` +
            (qemuOut ? `\n--- qemu (${qemuLog}) ---\n${lastLines(qemuOut, 10).join('\n')}` : ''),
          { code: 'E_CONSOLE_TIMEOUT', hint: 'the console lines above show how far the boot got' },
        );
      }
      await sleep(POLL_MS);
    }
  }

  return { arch, serialLogs, consoleLog, firmwareLog, qemuLog, pid: proc.pgid, ...(ssh ? { sshSocket } : {}), waitForConsole, readConsole, stop: proc.stop, exited: proc.exited, rebooted };
}
