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
 * - Image-based install (`disk`): runs through the install, the reboot and the installed system's
 *   first boot, up to its own `booted` report (follow-install.ts).
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BootEvent, BootFacts } from '../events/types.js';
import { MetalbootError } from '../errors.js';
import { EARLY_MARKER } from '../image/debian-preseed.js';
import type { ReimageSummary } from '../reimage/types.js';
import type { RunningVm } from '../vm/vm.js';
import { runCliInNetns } from './cli-in-netns.js';
import { followConsole } from './follow-console.js';
import { followInstall } from './follow-install.js';
import { loggedRequests } from './server-log.js';
import { MARK } from './phases.js';
import { selfReporting } from './config-text.js';
import type { Stack } from './stack.js';
import type { Mark, Owner } from './timeline.js';
import { redactTokens } from '../config/device-token.js';
import { assetPath } from '../image/manifest.js';
import type { AssetRef } from '../image/manifest.js';

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
  let installed = false;
  let onBooted: (() => void) | undefined;
  const diskPath = diskAssetPath(stack);
  const unsubscribe = stack.server.context.events.subscribe((event) => {
    events.push(event);
    // The disk image is a shared asset: known by its path, whoever the server attributed it to.
    if (vmStarted && diskPath !== undefined && event.path === diskPath) return mark(MARK.diskFetched, 'kernel', `${event.path}, ${event.bytes ?? '?'} bytes, streamed to the disk as it came`);
    if (event.device !== stack.device) return;
    if (event.kind === 'phone-home' && event.state === 'booted' && !booted) {
      booted = event;
      mark(MARK.booted, 'kernel', event.message ? `the device's own report: ${event.message}` : "the device's own report");
      onBooted?.();
      return;
    }
    if (event.kind === 'phone-home' && (event.state === 'running' || event.state === 'installed' || event.state === 'failed')) {
      installed ||= event.state === 'installed';
      return mark(`reported ${event.state}`, 'kernel', event.message ? `the installer's own report: ${event.message}` : "the installer's own report");
    }
    const owner = EVENT_OWNER[event.kind];
    if (!owner) return;
    // Before the VM runs, a script fetch is the CLI checking that every URL is reachable.
    if (!vmStarted) mark(MARK.urlsChecked, 'metalboot', 'reimage checks the script and assets before touching the device');
    else mark(`${event.kind} fetched`, owner, event.path);
  });
  mark(MARK.started, 'metalboot');
  // Without a report to come (the installer demo stops at the installer), the CLI does not wait:
  // it makes its calls, prints its summary and exits.
  const wait = selfReporting(stack.image) || options.afterInstaller !== undefined;
  const cli = await runCliInNetns({
    args: ['reimage', stack.device, '--provider', 'metal', ...(wait ? ['--wait', ...(selfReporting(stack.image) ? [] : ['--until', 'installed'])] : []), '--json', '--timeout', String(Math.ceil(options.timeoutMs / 1000)), '--config', stack.configFile],
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
  let accepted = false;
  let requested = false;
  try {
    while (!(vm = stack.bridge.vm(stack.deviceId))) {
      // The simulator's API log: the CLI's first request (it looks the device up) ends its start-up.
      if (!requested && (requested = stack.sim.requests().length > 0)) {
        const first = stack.sim.requests()[0]!;
        mark(MARK.cliFirstRequest, 'metalboot', `${first.method} ${first.path.replace(stack.deviceId, '<id>')} (simulator API log)`);
      }
      // The simulator's API log: the moment the device's reboot was accepted ends the API calls.
      if (!accepted && (accepted = rebootAccepted(stack))) mark(MARK.rebootAccepted, 'metalboot', 'POST …/actions {type: reboot} → 202 in the simulator\'s API log');
      if (cli.isDone() && (wait || (await cli.exited) !== 0)) throw new MetalbootError(`metalboot reimage exited before the device booted:\n${stderr.trim()}`);
      if (Date.now() > deadline) throw new MetalbootError('the simulated device never booted its VM');
      await sleep(100);
    }
    vmStarted = true;
    if (!accepted && rebootAccepted(stack)) mark(MARK.rebootAccepted, 'metalboot', 'POST …/actions {type: reboot} → 202 in the simulator\'s API log');
    mark(MARK.vmStarted, 'platform', 'the simulated Metal device boots into custom iPXE');
    const bootedNow = new Promise<void>((resolve) => (onBooted = resolve));
    if (booted) onBooted?.();
    const prompt = loginPrompt(stack.config.devices[stack.device]!.hostname);
    if (stack.image === 'disk') {
      await followInstall({
        stack, vm, mark, left, cliDone: () => cli.isDone(), cliStderr: () => stderr, installed: () => installed, booted: () => booted !== undefined, loginPrompt: prompt,
        ...(options.onConsole ? { onConsole: options.onConsole } : {}),
      });
    } else {
      const stopFollowing = options.onConsole ? followConsole(vm, options.onConsole) : undefined;
      try {
        const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, left());
        mark('kernel up', 'kernel', redactTokens(cmdline[1] ?? ''));
        await vm.waitForConsole(/Run \/init as init process/, left());
        mark('init started', 'kernel');
        if (stack.image === 'ram') {
          await vm.waitForConsole(prompt, left());
          mark(MARK.loginPrompt, 'kernel');
          const reported = await within(bootedNow.then(() => true), left(), false);
          if (!reported) throw new MetalbootError(`no "booted" report from ${stack.device} within ${Math.round(options.timeoutMs / 1000)} s`);
        } else {
          await vm.waitForConsole(options.installerPattern ?? INSTALLER_UP, left());
          mark('installer up', 'kernel');
        }
      } finally {
        stopFollowing?.();
      }
    }
    await options.afterInstaller?.();
    exitCode = await within(cli.exited, left(), null);
    const summary = parseSummary(stdout);
    for (const call of summary?.calls ?? []) marks.push({ phase: `API ${call.call}`, atMs: Date.parse(call.at) - started, owner: 'metalboot' });
    // The server's request log: the CLI's URL checks are HEADs, which record no boot event.
    const check = loggedRequests(await readFile(stack.serverLog, 'utf8').catch(() => '')).find((r) => r.arrivedAt >= started && r.method === 'HEAD');
    if (check) marks.push({ phase: MARK.urlsChecked, atMs: check.arrivedAt - started, owner: 'metalboot', detail: `${check.method} ${check.url} (server log)` });
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

/** The disk image's /assets path, for an image-based install (its manifest names it). */
function diskAssetPath(stack: Stack): string | undefined {
  const variant = Object.values(stack.manifest.variants)[0] as { disk?: AssetRef } | undefined;
  return variant?.disk ? assetPath(variant.disk) : undefined;
}

/** The simulator's API log shows the device's reboot accepted (202). */
function rebootAccepted(stack: Stack): boolean {
  return stack.sim.requests().some((r) => r.method === 'POST' && r.path.endsWith(`/devices/${stack.deviceId}/actions`) && r.status === 202 && (r.body as { type?: unknown } | undefined)?.type === 'reboot');
}

function parseSummary(stdout: string): ReimageSummary | undefined {
  try {
    return JSON.parse(stdout) as ReimageSummary;
  } catch {
    return undefined;
  }
}
