/**
 * One dnsmasq run: `dnsmasq --test` on a config, and dnsmasq in the foreground (`-k`, logging to
 * stderr) as a child of metalboot (execa; killed when metalboot exits), its lines relayed into
 * metalboot's log. `start` resolves once dnsmasq says "started" (its sockets are bound then) and
 * rejects with an error that names the fix when it exits first (port 67 in use, bad interface).
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { Logger } from 'pino';
import { MetalbootError } from '../errors.js';
import { relayDnsmasqLine } from './log-relay.js';

const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;

export interface DnsmasqChild {
  readonly pid: number;
  /** Resolves with the exit code (null: a signal) when dnsmasq ends, for whatever reason. */
  readonly exited: Promise<number | null>;
  /** SIGHUP: dnsmasq re-reads its hosts directory (removed MACs are forgotten only then). */
  reload(): void;
  stop(): Promise<void>;
}

export async function testDnsmasqConfig(binary: string, configFile: string): Promise<void> {
  const result = await execa(binary, ['--test', `--conf-file=${configFile}`], { reject: false, all: true, timeout: 15_000 });
  if (result.exitCode !== 0) {
    throw new MetalbootError(`dnsmasq refused the config metalboot generated (${configFile}): ${String(result.all ?? '').trim().slice(0, 500)}`, {
      code: 'E_DHCP_CONFIG', hint: 'this is a metalboot bug unless the options given to serve --dhcp are at fault; the file above shows what dnsmasq read',
    });
  }
}

export async function startDnsmasq(binary: string, configFile: string, logger: Logger, iface: string): Promise<DnsmasqChild> {
  const child = execa(binary, ['--keep-in-foreground', `--conf-file=${configFile}`, '--log-facility=-'], {
    reject: false, buffer: false, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', cleanup: true,
  });
  const recent: string[] = [];
  let started!: () => void;
  const startedPromise = new Promise<void>((resolve) => (started = resolve));
  const follow = (stream: Readable | null): void => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      const parsed = relayDnsmasqLine(logger, line);
      if (!parsed) return;
      recent.push(parsed.message);
      if (recent.length > 20) recent.shift();
      if (parsed.part === 'main' && parsed.message.startsWith('started, version')) started();
    });
  };
  follow(child.stdout);
  follow(child.stderr);
  const exited = child.then((result) => result.exitCode ?? null);
  const outcome = await Promise.race([
    startedPromise.then(() => 'started' as const),
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), START_TIMEOUT_MS).unref()),
  ]);
  if (outcome !== 'started') {
    child.kill('SIGKILL');
    await exited;
    throw startError(recent, iface, outcome === 'timeout');
  }
  const pid = child.pid!;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  return { pid, exited, reload: () => void child.kill('SIGHUP'), stop };
}

/** Turns dnsmasq's last words into what to fix. */
export function startError(lines: readonly string[], iface: string, timedOut: boolean): MetalbootError {
  const text = lines.join('\n');
  const said = lines.length ? ` dnsmasq said: ${lines.slice(-3).join(' / ')}` : '';
  if (/address (already )?in use/i.test(text)) {
    return new MetalbootError(`serve --dhcp: a DHCP port on ${iface} is already in use (another DHCP server on this machine?).${said}`, {
      code: 'E_DHCP_PORT_BUSY',
      hint: `\`ss -ulpn 'sport = :67'\` shows who holds port 67; stop it, or bind it to another interface. dnsmasq also needs 69 (TFTP)${/4011/.test(text) ? ' and 4011 (PXE)' : ''}`,
    });
  }
  if (/unknown interface|no such device/i.test(text)) {
    return new MetalbootError(`serve --dhcp: dnsmasq cannot use the interface ${iface}.${said}`, { code: 'E_DHCP_INTERFACE', hint: '`ip -br address` lists the interfaces' });
  }
  if (/permission denied|operation not permitted/i.test(text)) {
    return new MetalbootError(`serve --dhcp: dnsmasq was not allowed to open its ports.${said}`, { code: 'E_DHCP_NOT_ROOT', hint: 'run metalboot serve as root' });
  }
  return new MetalbootError(`serve --dhcp: dnsmasq ${timedOut ? 'did not start within 15 s' : 'exited at start'}.${said}`, { code: 'E_DHCP', hint: 'its log lines above say why' });
}
