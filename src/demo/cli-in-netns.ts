/**
 * Runs the metalboot CLI the way a VM sees the network: inside a private namespace where
 * 10.0.2.2:<port> is the metalboot server (a unix socket on the host) and 127.0.0.1:<apiPort> is
 * the Metal simulator. The CLI's own checks (URL reachability, event stream) then see exactly
 * what the device sees, and still nothing leaves the machine.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnInNetns } from '../vm/netns.js';
import type { NetnsForward, NetnsProcess } from '../vm/netns.js';
import { GUEST_HOST_IP } from '../vm/guest-net.js';

/** argv prefix that runs this checkout's CLI: `node dist/…/main.js`, or node + tsx on src/…/main.ts. */
export function cliArgv(): { file: string; args: string[] } {
  const main = fileURLToPath(new URL('../cli/main.', import.meta.url)) + (import.meta.url.endsWith('.ts') ? 'ts' : 'js');
  if (!main.endsWith('.ts')) return { file: process.execPath, args: [main] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: process.execPath, args: ['--import', tsx, main] };
}

export interface CliInNetnsOptions {
  readonly args: readonly string[];
  /** The metalboot server's unix socket, reachable at http://10.0.2.2:<serverPort>. */
  readonly serverSocket: string;
  readonly serverPort: number;
  /** The Metal API simulator's unix socket, reachable at http://127.0.0.1:<apiPort>. */
  readonly apiSocket?: string;
  readonly apiPort?: number;
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
}

export async function runCliInNetns(options: CliInNetnsOptions): Promise<NetnsProcess> {
  const { file, args } = cliArgv();
  const forwards: NetnsForward[] = [{ guestPort: options.serverPort, host: GUEST_HOST_IP, socketPath: options.serverSocket }];
  if (options.apiSocket && options.apiPort) forwards.push({ guestPort: options.apiPort, socketPath: options.apiSocket });
  return spawnInNetns({
    file,
    args: [...args, ...options.args],
    forwards,
    addresses: [`${GUEST_HOST_IP}/32`],
    output: 'pipe',
    env: { ...(process.env as Record<string, string>), ...options.env },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}
