/**
 * Runs a program inside a private network namespace (`unshare -n`, loopback only) behind the relay
 * (relay-script.ts), as its own process group, and makes sure it ends: stop(), the hard timeout,
 * and this process exiting (vm-registry.ts) all kill the whole group.
 */
import { closeSync, openSync } from 'node:fs';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { MetalbootError } from '../errors.js';
import { findProgram } from '../host/files.js';
import { RELAY_SCRIPT } from './relay-script.js';
import { killGroup, trackVm, untrackVm } from './vm-registry.js';

export interface NetnsForward {
  /** Port inside the namespace (for a VM: the guest's 10.0.2.2:guestPort). */
  guestPort: number;
  /** Unix socket on the host file system the connections are piped to. */
  socketPath: string;
  /** Address inside the namespace to listen on (default 127.0.0.1; must be local, see `addresses`). */
  host?: string;
}

/** A port inside the namespace made reachable from the host as a unix socket (e.g. a VM's SSH). */
export interface NetnsExpose {
  /** Unix socket on the host file system (replaced if it exists). */
  socketPath: string;
  /** Port on 127.0.0.1 inside the namespace. */
  port: number;
}

export interface NetnsSpawnOptions {
  file: string;
  args: readonly string[];
  forwards: readonly NetnsForward[];
  exposes?: readonly NetnsExpose[];
  /** Extra loopback addresses, e.g. `10.0.2.2/32`. */
  addresses?: readonly string[];
  /** stdout and stderr of the program: appended to this file, or piped (`child.stdout`). */
  output: { file: string } | 'pipe';
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Not killed when this process exits. */
  keep?: boolean;
  /** Do not keep this process alive for it: when nothing else is left to do, the process exits (and kills it). */
  unref?: boolean;
}

export interface NetnsProcess {
  readonly pgid: number;
  readonly child: ResultPromise;
  /** Exit code; null when killed by a signal. */
  readonly exited: Promise<number | null>;
  isDone(): boolean;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3_000;

export async function spawnInNetns(opts: NetnsSpawnOptions): Promise<NetnsProcess> {
  const ip = (await findProgram('ip')) ?? 'ip';
  const config = JSON.stringify({
    ip, addresses: opts.addresses ?? [], forwards: opts.forwards, exposes: opts.exposes ?? [], watchStdin: !opts.keep, qemu: { file: opts.file, args: opts.args },
  });
  const unshareArgs = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
  const stdin: 'ignore' | 'pipe' = opts.keep ? 'ignore' : 'pipe';
  // A file gets its own descriptor handed to the child: no stream in this process keeps it alive.
  const logFd = opts.output === 'pipe' ? undefined : openSync(opts.output.file, 'a');
  // (execa's types accept a descriptor only as a literal type, hence the cast.)
  const output = logFd === undefined ? ('pipe' as const) : (logFd as 3);
  const child = execa('unshare', [...unshareArgs, '--', process.execPath, '-e', RELAY_SCRIPT, config], {
    detached: true,
    buffer: false,
    reject: false,
    stdin,
    stdout: output,
    stderr: output,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  if (logFd !== undefined) closeSync(logFd);
  const spawned = child.pid;
  if (spawned === undefined) {
    const result = await child;
    throw new MetalbootError(`could not start ${opts.file} in a private network namespace: ${result.message ?? 'unshare failed'}`, {
      hint: 'unshare comes with util-linux; as non-root, unprivileged user namespaces must be enabled',
    });
  }
  const pgid: number = spawned;
  if (opts.keep || opts.unref) {
    child.unref();
    (child.stdin as Socket | null)?.unref();
  }
  if (!opts.keep) trackVm(pgid);

  let done = false;
  const exited: Promise<number | null> = child.then((result) => {
    done = true;
    untrackVm(pgid);
    killGroup(pgid, 'SIGKILL'); // whatever is left in the group (a program whose relay died)
    return result.exitCode ?? null;
  });
  const stop = async (): Promise<void> => {
    if (done) return;
    killGroup(pgid, 'SIGTERM');
    const killed = Promise.race([exited, sleep(STOP_GRACE_MS)]).then(() => {
      if (!done) killGroup(pgid, 'SIGKILL');
    });
    await killed;
    await exited;
  };
  if (opts.timeoutMs !== undefined) {
    const timer = setTimeout(() => void stop(), opts.timeoutMs);
    if (opts.unref) timer.unref();
    void exited.then(() => clearTimeout(timer));
  }
  return { pgid, child, exited, isDone: () => done, stop };
}
