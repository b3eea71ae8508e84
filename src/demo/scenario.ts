/**
 * One end-to-end re-image on this machine: `metalboot reimage <device> --provider metal --wait
 * --json` (the real CLI, in the VM's view of the network) against the Metal simulator, whose
 * device boots a QEMU VM from the metalboot server; the console is followed until the installer
 * is up, then a phone-home stands in for the finished install and the CLI turns always_pxe off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BootEvent } from '../events/types.js';
import { MetalbootError } from '../errors.js';
import { EARLY_MARKER } from '../image/debian-preseed.js';
import type { ReimageSummary } from '../reimage/types.js';
import type { RunningVm } from '../vm/vm.js';
import { runCliInNetns } from './cli-in-netns.js';
import { followConsole } from './follow-console.js';
import { postPhoneHome } from './phone-home.js';
import type { Stack } from './stack.js';
import type { Mark, Owner } from './timeline.js';
import { redactTokens } from '../config/device-token.js';

/** The Debian installer is running: the injected preseed's early_command, or d-i's first screens. */
export const INSTALLER_UP = new RegExp(`${EARLY_MARKER}|Select a language|\\(\\*installer\\)`);

export interface ScenarioOptions {
  readonly timeoutMs: number;
  readonly installerPattern?: RegExp;
  /** New console text (terminal escapes removed) as it arrives. */
  readonly onConsole?: (text: string) => void;
  readonly onMark?: (mark: Mark) => void;
}

export interface ScenarioResult {
  readonly exitCode: number | null;
  readonly summary?: ReimageSummary;
  readonly stdout: string;
  readonly stderr: string;
  readonly marks: Mark[];
  /** The server's boot events for every device during the run. */
  readonly events: BootEvent[];
  readonly vm?: RunningVm;
}

export async function runReimageScenario(stack: Stack, options: ScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const marks: Mark[] = [];
  const mark = (phase: string, owner: Owner, detail?: string, at = Date.now()): void => {
    const m: Mark = { phase, atMs: at - started, owner, ...(detail ? { detail } : {}) };
    marks.push(m);
    options.onMark?.(m);
  };
  const events: BootEvent[] = [];
  const eventOwner: Record<string, Owner> = { script: 'firmware', kernel: 'metalboot', initrd: 'metalboot', preseed: 'kernel' };
  let vmStarted = false;
  const unsubscribe = stack.server.context.events.subscribe((event) => {
    events.push(event);
    if (event.device !== stack.device || !eventOwner[event.kind]) return;
    // Before the VM runs, a script fetch is the CLI checking that every URL is reachable.
    if (!vmStarted) mark('URLs checked', 'metalboot', 'reimage checks the script and assets before touching the device');
    else mark(`${event.kind} fetched`, eventOwner[event.kind]!, event.path);
  });
  mark('reimage started', 'metalboot');
  const cli = await runCliInNetns({
    args: ['reimage', stack.device, '--provider', 'metal', '--wait', '--json', '--timeout', String(Math.ceil(options.timeoutMs / 1000)), '--config', stack.configFile],
    serverSocket: stack.serverSocket, serverPort: stack.guestPort, apiSocket: stack.apiSocket, apiPort: stack.apiPort,
    env: { METALBOOT_TOKEN: stack.operatorToken, METAL_AUTH_TOKEN: 'metalboot-demo-token', METAL_PROJECT_ID: stack.sim.projectId, METAL_API_URL: `http://127.0.0.1:${stack.apiPort}/metal/v1` },
    timeoutMs: options.timeoutMs + 30_000,
  });
  let stdout = '';
  let stderr = '';
  cli.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  cli.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let vm: RunningVm | undefined;
  try {
    const deadline = started + options.timeoutMs;
    while (!(vm = stack.bridge.vm(stack.deviceId))) {
      if (cli.isDone()) throw new MetalbootError(`metalboot reimage exited before the device booted:\n${stderr.trim()}`);
      if (Date.now() > deadline) throw new MetalbootError('the simulated device never booted its VM');
      await sleep(100);
    }
    vmStarted = true;
    mark('device boots (VM started)', 'platform', 'the simulated Metal device boots into custom iPXE');
    const stopFollowing = options.onConsole ? followConsole(vm, options.onConsole) : undefined;
    try {
      const left = (): number => Math.max(1_000, deadline - Date.now());
      const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, left());
      mark('kernel up', 'kernel', redactTokens(cmdline[1] ?? ''));
      await vm.waitForConsole(/Run \/init as init process/, left());
      mark('init started', 'kernel');
      await vm.waitForConsole(options.installerPattern ?? INSTALLER_UP, left());
      mark('installer up', 'kernel');
    } finally {
      stopFollowing?.();
    }
    const status = await postPhoneHome(stack.serverSocket, stack.device, { state: 'succeeded', message: 'installer up (phone-home sent in place of a finished install)' });
    if (status !== 201) throw new MetalbootError(`the server refused the phone-home (HTTP ${status})`);
    mark('phone-home sent', 'test');
    const exitCode = await cli.exited;
    mark('reimage done (always_pxe off)', 'metalboot');
    const summary = parseSummary(stdout);
    for (const call of summary?.calls ?? []) marks.push({ phase: `API ${call.call}`, atMs: Date.parse(call.at) - started, owner: 'metalboot' });
    return { exitCode, stdout, stderr, marks, events, vm, ...(summary ? { summary } : {}) };
  } finally {
    unsubscribe();
    await cli.stop();
  }
}


function parseSummary(stdout: string): ReimageSummary | undefined {
  try {
    return JSON.parse(stdout) as ReimageSummary;
  } catch {
    return undefined;
  }
}
