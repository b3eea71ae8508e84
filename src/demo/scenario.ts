/**
 * One end-to-end re-image on this machine: `metalboot reimage <device> --provider metal --wait
 * --json` (the real CLI, in the VM's view of the network) against the Metal simulator, whose
 * device boots a QEMU VM from the metalboot server. Every mark is something the system produced:
 * a server event, a console line, the CLI's own summary. Nothing is reported in the device's place.
 *
 * - RAM image: runs until the device's own `booted` report reaches the server (its facts are
 *   returned), with the login prompt on the console on the way.
 * - Installer: runs until the Debian installer is up on the console and stops there; the install
 *   itself is not run. `afterInstaller` lets a caller (a test) act at that point; the demo never does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BootEvent, BootFacts } from '../events/types.js';
import { MetalbootError } from '../errors.js';
import { EARLY_MARKER } from '../image/debian-preseed.js';
import type { ReimageSummary } from '../reimage/types.js';
import type { RunningVm } from '../vm/vm.js';
import { runCliInNetns } from './cli-in-netns.js';
import { followConsole } from './follow-console.js';
import type { Stack } from './stack.js';
import type { Mark, Owner } from './timeline.js';
import { redactTokens } from '../config/device-token.js';

/** The Debian installer is running: the injected preseed's early_command, or d-i's first screens. */
export const INSTALLER_UP = new RegExp(`${EARLY_MARKER}|Select a language|\\(\\*installer\\)`);

/** A getty's prompt for the device's host name: the RAM image took its data. */
export function loginPrompt(hostname: string): RegExp {
  return new RegExp(`^${hostname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} login: `, 'm');
}

export interface ScenarioOptions {
  readonly timeoutMs: number;
  readonly installerPattern?: RegExp;
  /** New console text (terminal escapes removed) as it arrives. */
  readonly onConsole?: (text: string) => void;
  readonly onMark?: (mark: Mark) => void;
  /** Installer only: called once the installer is up; the CLI then keeps waiting for the device's report. */
  readonly afterInstaller?: () => Promise<void>;
}

export interface ScenarioResult {
  /** null when the CLI had not exited by the deadline. */
  readonly exitCode: number | null;
  readonly summary?: ReimageSummary;
  readonly stdout: string;
  readonly stderr: string;
  readonly marks: Mark[];
  /** The server's boot events for every device during the run. */
  readonly events: BootEvent[];
  /** RAM image: the device's own `booted` report. */
  readonly booted?: BootEvent & { readonly facts?: BootFacts };
  readonly vm?: RunningVm;
}

const EVENT_OWNER: Partial<Record<BootEvent['kind'], Owner>> = {
  script: 'firmware', kernel: 'metalboot', initrd: 'metalboot', 'device-data': 'metalboot', preseed: 'kernel',
};

export async function runReimageScenario(stack: Stack, options: ScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const left = (): number => Math.max(1_000, deadline - Date.now());
  const marks: Mark[] = [];
  const mark = (phase: string, owner: Owner, detail?: string, at = Date.now()): void => {
    const m: Mark = { phase, atMs: at - started, owner, ...(detail ? { detail } : {}) };
    marks.push(m);
    options.onMark?.(m);
  };
  const events: BootEvent[] = [];
  let vmStarted = false;
  let booted: BootEvent | undefined;
  let onBooted: (() => void) | undefined;
  const unsubscribe = stack.server.context.events.subscribe((event) => {
    events.push(event);
    if (event.device !== stack.device) return;
    if (event.kind === 'phone-home' && event.state === 'booted' && !booted) {
      booted = event;
      mark('booted', 'kernel', event.message ? `the device's own report: ${event.message}` : "the device's own report");
      onBooted?.();
      return;
    }
    const owner = EVENT_OWNER[event.kind];
    if (!owner) return;
    // Before the VM runs, a script fetch is the CLI checking that every URL is reachable.
    if (!vmStarted) mark('URLs checked', 'metalboot', 'reimage checks the script and assets before touching the device');
    else mark(`${event.kind} fetched`, owner, event.path);
  });
  mark('reimage started', 'metalboot');
  // Without a report to come (the installer demo stops at the installer), the CLI does not wait:
  // it makes its calls, prints its summary and exits.
  const wait = stack.image === 'ram' || options.afterInstaller !== undefined;
  const cli = await runCliInNetns({
    args: ['reimage', stack.device, '--provider', 'metal', ...(wait ? ['--wait', ...(stack.image === 'ram' ? [] : ['--until', 'installed'])] : []), '--json', '--timeout', String(Math.ceil(options.timeoutMs / 1000)), '--config', stack.configFile],
    serverSocket: stack.serverSocket, serverPort: stack.guestPort, apiSocket: stack.apiSocket, apiPort: stack.apiPort,
    env: { METALBOOT_TOKEN: stack.operatorToken, METAL_AUTH_TOKEN: 'metalboot-demo-token', METAL_PROJECT_ID: stack.sim.projectId, METAL_API_URL: `http://127.0.0.1:${stack.apiPort}/metal/v1` },
    timeoutMs: options.timeoutMs + 30_000,
  });
  let stdout = '';
  let stderr = '';
  cli.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  cli.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let vm: RunningVm | undefined;
  let exitCode: number | null = null;
  try {
    while (!(vm = stack.bridge.vm(stack.deviceId))) {
      if (cli.isDone() && (wait || (await cli.exited) !== 0)) throw new MetalbootError(`metalboot reimage exited before the device booted:\n${stderr.trim()}`);
      if (Date.now() > deadline) throw new MetalbootError('the simulated device never booted its VM');
      await sleep(100);
    }
    vmStarted = true;
    mark('device boots (VM started)', 'platform', 'the simulated Metal device boots into custom iPXE');
    const stopFollowing = options.onConsole ? followConsole(vm, options.onConsole) : undefined;
    try {
      const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, left());
      mark('kernel up', 'kernel', redactTokens(cmdline[1] ?? ''));
      await vm.waitForConsole(/Run \/init as init process/, left());
      mark('init started', 'kernel');
      if (stack.image === 'ram') {
        const bootedNow = new Promise<void>((resolve) => (onBooted = resolve));
        if (booted) onBooted?.();
        await vm.waitForConsole(loginPrompt(stack.config.devices[stack.device]!.hostname), left());
        mark('login prompt', 'kernel');
        const reported = await within(bootedNow.then(() => true), left(), false);
        if (!reported) throw new MetalbootError(`no "booted" report from ${stack.device} within ${Math.round(options.timeoutMs / 1000)} s`);
      } else {
        await vm.waitForConsole(options.installerPattern ?? INSTALLER_UP, left());
        mark('installer up', 'kernel');
      }
    } finally {
      stopFollowing?.();
    }
    await options.afterInstaller?.();
    exitCode = await within(cli.exited, left(), null);
    const summary = parseSummary(stdout);
    for (const call of summary?.calls ?? []) marks.push({ phase: `API ${call.call}`, atMs: Date.parse(call.at) - started, owner: 'metalboot' });
    return { exitCode, stdout, stderr, marks, events, vm, ...(summary ? { summary } : {}), ...(booted ? { booted } : {}) };
  } finally {
    unsubscribe();
    await cli.stop();
  }
}

/** `promise`'s value, or `fallback` after `ms`; the timer never outlives the call (it would keep the process up). */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function parseSummary(stdout: string): ReimageSummary | undefined {
  try {
    return JSON.parse(stdout) as ReimageSummary;
  } catch {
    return undefined;
  }
}
