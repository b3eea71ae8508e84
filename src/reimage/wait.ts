/**
 * `--wait`: follows the device's state (polling with backoff) and the server's boot events
 * (script → kernel → initrd → phone-home) until the re-image succeeds, fails or times out.
 * Success, `--until booted` (the default for installers and for images whose system reports,
 * e.g. rootfs RAM images): the system's own `booted` phone-home, whose facts are printed.
 * `--until installed`: the installer's `installed` (or legacy `succeeded`) or anything later.
 * Any other RAM image: its initrd fetched. A stock OS (or a device whose events cannot be
 * followed): `active` again after the provider's work. On `installed`, `onInstalled` runs at once
 * (it turns always_pxe off), so the installer's reboot already lands on the disk.
 */
import type { BootEvent } from '../events/types.js';
import { MetalbootError } from '../errors.js';
import type { DeviceState, Provider } from '../providers/provider.js';
import type { ReimageTarget } from './types.js';
import { describeFacts } from './facts.js';
import { stripControl } from '../util/control.js';
import { setTimeout as sleep } from 'node:timers/promises';

export type FollowFn = (options: { device: string; since: string; signal: AbortSignal }, onEvent: (event: BootEvent) => void) => Promise<void>;

export interface WaitDeps {
  readonly provider: Provider;
  readonly follow?: FollowFn;
  readonly now: () => number;
  readonly pollMs?: number;
  readonly pollMaxMs?: number;
}

/** What `--wait` waits for (`--until`). */
export type WaitUntil = 'installed' | 'booted';
export const WAIT_UNTIL: readonly WaitUntil[] = ['installed', 'booted'];

export interface WaitInput {
  readonly id: string;
  /** Config name: boot events are recorded under it. Without it only the state is followed. */
  readonly name?: string;
  readonly target: ReimageTarget;
  /** Epoch ms of the first change (events from before are ignored). */
  readonly startedAt: number;
  readonly timeoutMs: number;
  readonly phase: (phase: string, detail?: string) => void;
  readonly info: (text: string) => void;
  /** Default: `booted` for installers and images that report; other RAM images settle on their initrd. */
  readonly until?: WaitUntil;
  /** Runs once when the device reports `installed` (turns always_pxe off); a throw fails the wait. */
  readonly onInstalled?: () => Promise<void>;
}

export interface WaitOutcome {
  readonly result: 'succeeded' | 'failed' | 'timeout';
  readonly message?: string;
}

export async function waitForReimage(deps: WaitDeps, input: WaitInput): Promise<WaitOutcome> {
  const controller = new AbortController();
  const { signal } = controller;
  let settle!: (outcome: WaitOutcome) => void;
  const done = new Promise<WaitOutcome>((resolve) => {
    settle = (outcome) => {
      if (signal.aborted) return;
      controller.abort();
      resolve(outcome);
    };
  });
  const timer = setTimeout(() => settle({ result: 'timeout' }), Math.max(0, input.startedAt + input.timeoutMs - deps.now()));
  const followEvents = input.target.kind === 'ipxe' && input.name !== undefined && deps.follow !== undefined;
  const until = input.until ?? (input.target.kind === 'ipxe' && (input.target.installer || input.target.reportsBooted) ? 'booted' : undefined);
  const ramImage = input.target.kind === 'ipxe' && !input.target.installer && until === undefined;

  const seenKinds = new Set<string>();
  let installed: Promise<void> | undefined;
  const reachedInstalled = (): Promise<void> => {
    installed ??= (input.onInstalled?.() ?? Promise.resolve()).catch((error: unknown) => {
      settle({ result: 'failed', message: error instanceof Error ? error.message : String(error) });
    });
    return installed;
  };
  const onEvent = (event: BootEvent): void => {
    if (event.kind === 'phone-home') {
      const message = event.message === undefined ? undefined : stripControl(event.message).slice(0, 500);
      const withMessage = message ? { message } : {};
      if (event.state === 'booted') {
        // An installed system booting implies the install: turn always_pxe off first if that is still to do.
        void reachedInstalled().then(() => {
          if (signal.aborted) return;
          input.phase('booted', event.facts ? describeFacts(event.facts) : message);
          settle({ result: 'succeeded', ...withMessage });
        });
        return;
      }
      if (event.state === 'succeeded' || event.state === 'installed') {
        if (!seenKinds.has('installed')) input.phase('installed', message);
        seenKinds.add('installed');
        void reachedInstalled().then(() => {
          if (until !== 'booted') settle({ result: 'succeeded', ...withMessage });
        });
        return;
      }
      if (event.state === 'failed') {
        input.phase('phone-home', `failed${message ? `: ${message}` : ''}`);
        return settle({ result: 'failed', message: `the installer reported failure${message ? `: ${message}` : ''}` });
      }
      if (!seenKinds.has('phone-home')) input.phase('phone-home', `running${message ? `: ${message}` : ''}`);
      seenKinds.add('phone-home');
      return;
    }
    if (event.kind !== 'script' && event.kind !== 'kernel' && event.kind !== 'initrd') return;
    if (!seenKinds.has(event.kind)) input.phase(event.kind, event.path);
    seenKinds.add(event.kind);
    if (event.kind === 'initrd' && ramImage) settle({ result: 'succeeded', message: 'the RAM image is booting (kernel and initrd fetched)' });
  };

  if (followEvents) {
    deps.follow!({ device: input.name!, since: new Date(input.startedAt).toISOString(), signal }, onEvent).catch((error: unknown) => {
      input.info(`cannot follow boot events (${error instanceof Error ? error.message : String(error)}); following the device state only`);
    });
  }
  void pollState(deps, input, signal, followEvents, settle);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

async function pollState(deps: WaitDeps, input: WaitInput, signal: AbortSignal, eventsDecide: boolean, settle: (outcome: WaitOutcome) => void): Promise<void> {
  let delay = deps.pollMs ?? 2_000;
  let last: DeviceState | undefined;
  let left = false;
  let lastError: string | undefined;
  while (!signal.aborted) {
    try {
      const device = await deps.provider.getDevice(input.id);
      lastError = undefined;
      if (device.state !== last) input.phase(device.state);
      last = device.state;
      if (device.state !== 'active') left = true;
      if (device.state === 'failed') return settle({ result: 'failed', message: `the ${deps.provider.name} provider reports the device failed` });
      if (!eventsDecide && left && device.state === 'active') return settle({ result: 'succeeded' });
    } catch (error) {
      const text = error instanceof MetalbootError ? error.message : String(error);
      if (text !== lastError) input.info(`reading the device failed (${text}); still waiting`);
      lastError = text;
    }
    await sleep(delay, undefined, { signal }).catch(() => {});
    delay = Math.min(Math.round(delay * 1.5), deps.pollMaxMs ?? 15_000);
  }
}
