/**
 * Boot events → boots and phases (pure). A boot starts when a device fetches its iPXE script; each
 * event moves it to a phase: script, kernel, initrd, installer (answers fetched, `running`),
 * installed, booted — or failed. The devices page shows a device's current phase, the device page
 * one bar per phase.
 */
import type { BootEvent } from '../events/types.js';

export const PHASES = ['script', 'kernel', 'initrd', 'installer', 'installed', 'booted', 'failed'] as const;
export type Phase = (typeof PHASES)[number];

/** The phase an event puts its boot in; undefined for events that do not move it (other assets). */
export function phaseOf(event: Pick<BootEvent, 'kind' | 'state'>): Phase | undefined {
  switch (event.kind) {
    case 'script':
    case 'kernel':
    case 'initrd':
      return event.kind;
    case 'preseed':
    case 'kickstart':
      return 'installer';
    case 'phone-home':
      if (event.state === 'running') return 'installer';
      if (event.state === 'installed' || event.state === 'succeeded') return 'installed';
      return event.state;
    default:
      return undefined;
  }
}

export interface PhaseSpan {
  readonly phase: Phase;
  /** ISO time the phase began (its first event). */
  readonly start: string;
  /** ISO time the next phase began; undefined while it is the current one. */
  readonly end?: string;
}

export interface Boot {
  readonly start: string;
  readonly phases: readonly PhaseSpan[];
  readonly events: readonly BootEvent[];
}

/** Splits a device's events (in id order) into boots; a `script` fetch starts a new one. */
export function bootsOf(events: readonly BootEvent[]): Boot[] {
  const groups: BootEvent[][] = [];
  for (const event of events) {
    if (event.kind === 'script' || groups.length === 0) groups.push([]);
    groups.at(-1)!.push(event);
  }
  return groups.map((group) => ({ start: group[0]!.time, phases: spansOf(group), events: group }));
}

function spansOf(events: readonly BootEvent[]): PhaseSpan[] {
  const spans: { phase: Phase; start: string; end?: string }[] = [];
  for (const event of events) {
    const phase = phaseOf(event);
    if (phase === undefined || spans.at(-1)?.phase === phase) continue;
    const last = spans.at(-1);
    if (last) last.end = event.time;
    spans.push({ phase, start: event.time });
  }
  return spans;
}

/** Where a device stands: the phase of its latest boot and when that phase began. */
export interface DeviceStatus {
  readonly phase: Phase;
  readonly since: string;
  /** The latest event's id (the client ignores older updates). */
  readonly eventId: number;
}

/** The status after `event`, given the status before it (undefined: no boot seen yet). */
export function nextStatus(before: DeviceStatus | undefined, event: BootEvent): DeviceStatus | undefined {
  const phase = phaseOf(event);
  if (phase === undefined) return before && { ...before, eventId: event.id };
  if (before && before.phase === phase && event.kind !== 'script') return { ...before, eventId: event.id };
  return { phase, since: event.time, eventId: event.id };
}
