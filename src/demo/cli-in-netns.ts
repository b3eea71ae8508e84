/**
 * Runs the metalboot CLI the way a VM sees the network: inside a private namespace where
 * 10.0.2.2:<port> is the metalboot server (a unix socket on the host) and 127.0.0.1:<apiPort> is
 * the Metal simulator. The CLI's own checks (URL reachability, event stream) then see exactly
 * what the device sees, and still nothing leaves the machine.
 */
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../paths.js';
import { spawnInNetns } from '../vm/netns.js';
import type { NetnsForward, NetnsProcess } from '../vm/netns.js';
import { GUEST_HOST_IP } from '../vm/guest-net.js';

/** How the CLI runs: compiled (`dist/`, starts in about a second) or from source under tsx (several). */
export type CliRunner = 'dist' | 'tsx';

export interface CliChoiceInput {
  /** This code itself runs from dist/ (compiled). */
  readonly compiled: boolean;
  /** mtime of dist/cli/main.js, undefined when there is none. */
  readonly distMtimeMs?: number | undefined;
  /** The newest mtime of any file under src/ (undefined when src/ is not there, as in a package). */
  readonly srcNewestMs?: number | undefined;
}

/** dist/ when running compiled, or when dist/cli/main.js is newer than every source file; else tsx (pure). */
export function chooseCli(input: CliChoiceInput): { runner: CliRunner; why: string } {
  if (input.compiled) return { runner: 'dist', why: 'this process runs from dist/' };
  if (input.distMtimeMs === undefined) return { runner: 'tsx', why: 'no dist/cli/main.js (npm run build makes it)' };
  if (input.srcNewestMs !== undefined && input.srcNewestMs > input.distMtimeMs) return { runner: 'tsx', why: 'src/ is newer than dist/ (npm run build updates it)' };
  return { runner: 'dist', why: 'dist/cli/main.js is newer than src/' };
}

const DIST_MAIN = join(PACKAGE_ROOT, 'dist/cli/main.js');

function mtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest mtime of the files under `dir` (undefined when it does not exist). */
function newestMtimeMs(dir: string): number | undefined {
  let newest: number | undefined;
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const at = mtimeMs(join(entry.parentPath, entry.name));
    if (at !== undefined && (newest === undefined || at > newest)) newest = at;
  }
  return newest;
}

/**
 * argv prefix that runs this checkout's CLI: `node dist/cli/main.js` when that is current (see
 * chooseCli), else node + tsx on src/cli/main.ts; `runner` and `why` say which and why.
 */
export function cliArgv(): { file: string; args: string[]; runner: CliRunner; why: string } {
  const compiled = !import.meta.url.endsWith('.ts');
  const choice = chooseCli(compiled ? { compiled } : { compiled, distMtimeMs: mtimeMs(DIST_MAIN), srcNewestMs: newestMtimeMs(join(PACKAGE_ROOT, 'src')) });
  if (compiled) return { file: process.execPath, args: [fileURLToPath(new URL('../cli/main.js', import.meta.url))], ...choice };
  if (choice.runner === 'dist') return { file: process.execPath, args: [DIST_MAIN], ...choice };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: process.execPath, args: ['--import', tsx, fileURLToPath(new URL('../cli/main.ts', import.meta.url))], ...choice };
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
