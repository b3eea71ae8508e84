/**
 * The phases of an image-based install run (`demo --full`), computed from its timeline's marks
 * (pure): each phase ends at a piece of evidence (a server event, a console line, the Metal API
 * simulator's log) and starts where the previous one ended. Plus metalboot's own share of the
 * run: CLI start-up, its URL checks and API calls, and serving the kernel and initrd.
 */
import type { Mark, Owner } from './timeline.js';

/** Mark names the run records and the phases read (one place, so the two cannot drift). */
export const MARK = {
  started: 'reimage started',
  cliFirstRequest: 'CLI\'s first request',
  urlsChecked: 'URLs checked',
  rebootAccepted: 'reboot accepted',
  vmStarted: 'device boots (VM started)',
  scriptFetched: 'script fetched',
  kernelFetched: 'kernel fetched',
  initrdFetched: 'initrd fetched',
  deviceData: 'device-data fetched',
  diskFetched: 'disk image fetched',
  /** `reported <state>` for the installer's reports (running, installed, failed). */
  running: 'reported running',
  installed: 'reported installed',
  rebooted: 'rebooted (VM started again)',
  grub: 'GRUB on the console',
  installedKernel: 'installed kernel up',
  installedInit: 'installed system\'s systemd started',
  loginPrompt: 'login prompt',
  booted: 'booted',
} as const;

export interface Phase {
  readonly name: string;
  readonly owner: Owner;
  /** What ends it. */
  readonly until: string;
  readonly startMs: number;
  /** Undefined when its end was never seen. */
  readonly endMs?: number;
}

interface PhaseSpec {
  readonly name: string;
  readonly owner: Owner;
  readonly until: string;
  readonly end: (first: (name: string) => number | undefined) => number | undefined;
}

const earliest = (...values: (number | undefined)[]): number | undefined => {
  const seen = values.filter((v): v is number => v !== undefined);
  return seen.length ? Math.min(...seen) : undefined;
};

const PHASES: readonly PhaseSpec[] = [
  { name: 'API calls', owner: 'metalboot', until: 'the reboot accepted (simulator API log)', end: (f) => f(MARK.rebootAccepted) },
  { name: 'firmware', owner: 'firmware', until: 'the device script fetched (server event)', end: (f) => f(MARK.scriptFetched) },
  { name: 'kernel+initrd delivery', owner: 'metalboot', until: 'the initrd fetched (server event)', end: (f) => f(MARK.initrdFetched) },
  { name: 'installer boot', owner: 'kernel', until: 'the installer\'s "running" (or its device data fetched)', end: (f) => f(MARK.running) ?? f(MARK.deviceData) },
  { name: 'disk image write', owner: 'kernel', until: 'the installer\'s "installed" report', end: (f) => f(MARK.installed) },
  { name: 'reboot', owner: 'platform', until: 'the VM started again', end: (f) => f(MARK.rebooted) },
  { name: 'firmware+GRUB', owner: 'firmware', until: '"Linux version" of the installed kernel on ttyS1', end: (f) => f(MARK.installedKernel) },
  { name: 'installed kernel', owner: 'kernel', until: 'systemd starting on the installed root (ttyS1)', end: (f) => f(MARK.installedInit) ?? earliest(f(MARK.loginPrompt), f(MARK.booted)) },
  { name: 'first boot', owner: 'kernel', until: 'the installed system\'s own "booted" report', end: (f) => f(MARK.booted) },
];

/** The first time each mark name was seen. */
function firstSeen(marks: readonly Mark[]): (name: string) => number | undefined {
  const first = new Map<string, number>();
  for (const mark of marks) if (!first.has(mark.phase) || mark.atMs < first.get(mark.phase)!) first.set(mark.phase, mark.atMs);
  return (name) => first.get(name);
}

/** The install's phases from the run's marks; a phase whose end was not seen has no endMs. */
export function installPhases(marks: readonly Mark[]): Phase[] {
  const first = firstSeen(marks);
  let start = 0;
  return PHASES.map((spec) => {
    const end = spec.end(first);
    const phase: Phase = { name: spec.name, owner: spec.owner, until: spec.until, startMs: start, ...(end === undefined ? {} : { endMs: Math.max(start, end) }) };
    if (phase.endMs !== undefined) start = phase.endMs;
    return phase;
  });
}

export interface MetalbootShare {
  /** CLI start → its first request (the simulator's API log; else its first URL check in the server log). */
  readonly startupMs?: number;
  /** Its first request → the reboot accepted: URL checks and the Metal API calls. */
  readonly callsMs?: number;
  /** Serving the kernel and initrd (the delivery phase). */
  readonly servingMs?: number;
  readonly totalMs: number;
  /** The whole run: CLI start → "booted" (undefined when not reached). */
  readonly runMs?: number;
}

export function metalbootShare(marks: readonly Mark[], phases: readonly Phase[]): MetalbootShare {
  const first = firstSeen(marks);
  const firstRequest = first(MARK.cliFirstRequest) ?? first(MARK.urlsChecked);
  const accepted = first(MARK.rebootAccepted);
  const delivery = phases.find((p) => p.name === 'kernel+initrd delivery');
  const startupMs = firstRequest;
  const callsMs = firstRequest !== undefined && accepted !== undefined ? Math.max(0, accepted - firstRequest) : undefined;
  const servingMs = delivery?.endMs === undefined ? undefined : delivery.endMs - delivery.startMs;
  const runMs = phases.at(-1)?.endMs;
  return {
    ...(startupMs === undefined ? {} : { startupMs }),
    ...(callsMs === undefined ? {} : { callsMs }),
    ...(servingMs === undefined ? {} : { servingMs }),
    totalMs: (startupMs ?? 0) + (callsMs ?? 0) + (servingMs ?? 0),
    ...(runMs === undefined ? {} : { runMs }),
  };
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`);

/** The phase table and metalboot's share, as the demo prints them. `cli` says how the CLI ran (dist or tsx). */
export function formatPhases(phases: readonly Phase[], share: MetalbootShare, cli: string): string {
  const width = Math.max(...phases.map((p) => p.name.length));
  const lines = [`  ${'phase'.padEnd(width)}  ${'took'.padStart(8)}  ${'ends at'.padStart(8)}  by         until`];
  for (const phase of phases) {
    const took = phase.endMs === undefined ? 'not seen' : seconds(phase.endMs - phase.startMs);
    lines.push(`  ${phase.name.padEnd(width)}  ${took.padStart(8)}  ${(phase.endMs === undefined ? '' : seconds(phase.endMs)).padStart(8)}  ${phase.owner.padEnd(9)}  ${phase.until}`);
  }
  const percent = share.runMs ? ` = ${((100 * share.totalMs) / share.runMs).toFixed(1)} % of ${seconds(share.runMs)}` : ' (the run did not reach "booted")';
  lines.push(`  metalboot's own share: ${seconds(share.totalMs)}${percent}: CLI start-up ${seconds(share.startupMs)} (${cli}), ` +
    `URL checks + API calls ${seconds(share.callsMs)}, serving kernel+initrd ${seconds(share.servingMs)}`);
  return `${lines.join('\n')}\n`;
}
