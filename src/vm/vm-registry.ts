/**
 * Every VM process group this process started, so none outlives it: on normal exit, on
 * SIGINT/SIGTERM/SIGHUP, the whole group (relay + QEMU) is killed. A SIGKILLed parent is covered
 * by the relay itself, which kills QEMU when its stdin pipe closes.
 */
const running = new Set<number>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

export function trackVm(pgid: number): void {
  running.add(pgid);
  install();
}

export function untrackVm(pgid: number): void {
  running.delete(pgid);
}

/** Kills a process group; returns false when it was already gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether a process group still has a live leader (a VM of this or an earlier command). */
export function groupAlive(pgid: number | undefined): boolean {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killAllVms(): void {
  for (const pgid of running) killGroup(pgid, 'SIGKILL');
  running.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllVms);
  for (const signal of SIGNALS) {
    const handler = (): void => {
      killAllVms();
      // Someone else (e.g. a command's own cleanup) handles the signal: leave exiting to them.
      // (Their listener must be registered with process.on: a `once` listener is already gone here.)
      if (process.listenerCount(signal) > 1) return;
      process.removeListener(signal, handler);
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}
