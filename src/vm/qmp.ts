/**
 * Listens to a VM's QMP socket (`-qmp unix:<path>,server=on,wait=off`) for the one thing its exit
 * code cannot say: why QEMU shut down. With -no-reboot both a guest reboot and a guest power-off
 * end QEMU with exit code 0; QMP's SHUTDOWN event names the cause (`guest-reset`,
 * `guest-shutdown`, `host-signal`, …). Read-only: no command but the capabilities handshake.
 */
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface QmpWatch {
  /** The reason of the last SHUTDOWN event, if one came. */
  shutdownReason(): string | undefined;
  /** Resolves when QEMU closed the socket (it exited): every event it sent has been read. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Lines longer than this are not QMP events we care about; a hostile peer cannot grow memory. */
const MAX_LINE = 64 * 1024;

export async function watchQmp(socketPath: string, options: { attempts?: number; delayMs?: number } = {}): Promise<QmpWatch> {
  let reason: string | undefined;
  let closed = false;
  const attempts = options.attempts ?? 40;
  for (let i = 0; i < attempts && !closed; i++) {
    const socket = createConnection(socketPath);
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (!ok) {
      socket.destroy();
      await sleep(options.delayMs ?? 250);
      continue;
    }
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        reason = shutdownReasonOf(line) ?? reason;
      }
      if (buffered.length > MAX_LINE) buffered = '';
    });
    socket.on('error', () => {});
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('{"execute":"qmp_capabilities"}\n');
    return { shutdownReason: () => reason, ended, close: () => socket.destroy() };
  }
  return { shutdownReason: () => reason, ended: Promise.resolve(), close: () => { closed = true; } };
}

/** The `reason` of a QMP SHUTDOWN event line, else undefined. Pure. */
export function shutdownReasonOf(line: string): string | undefined {
  try {
    const message = JSON.parse(line) as { event?: unknown; data?: { reason?: unknown } };
    return message.event === 'SHUTDOWN' && typeof message.data?.reason === 'string' ? message.data.reason : undefined;
  } catch {
    return undefined;
  }
}
