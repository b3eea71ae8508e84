/**
 * The re-image flow over any Provider: check every URL the script fetches (change nothing if one
 * fails), make the planned calls, optionally wait, restore always_pxe after an installer succeeds,
 * and return a summary for --json.
 */
import { MetalbootError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import { notReadyReason, planReimage, turnsAlwaysPxeOff } from './plan.js';
import type { Progress } from './progress.js';
import { checkReachable } from './reachability.js';
import type { ReachabilityOptions } from './reachability.js';
import { recordingProvider } from './recorder.js';
import { labelOf } from './resolve.js';
import type { CallRecord } from '../providers/provider.js';
import type { PhaseRecord, ReimageResult, ReimageSummary, ReimageTarget, ResolvedDevice } from './types.js';
import { DEFAULT_WINDOW_MS } from '../boots/store.js';
import type { BootStore } from '../boots/store.js';
import type { FollowFn, WaitUntil } from './wait.js';
import { waitForReimage } from './wait.js';
import { formatElapsed } from './progress.js';

/** Phases that show how far the boot itself got (preferred over device states when reporting a timeout). */
const BOOT_PHASES: readonly string[] = ['script', 'kernel', 'initrd', 'phone-home'];

/**
 * Opens a device's boot window (src/boots/) and returns the boot's token, or closes it. The flow
 * arms before it changes the provider, so the device's answers are readable only for this boot.
 */
export interface BootArming {
  arm(device: string, windowMs: number): string;
  disarm(device: string): void;
}

/** The arming every re-image uses (the CLI, the dashboard): boots opened and closed in the shared boot store. */
export function armingFrom(boots: BootStore): BootArming {
  return { arm: (device, windowMs) => boots.arm(device, windowMs).token, disarm: (device) => void boots.end(device) };
}

/** A boot window outlasts the wait by this much (the installed system's `booted` report comes last). */
const WINDOW_MARGIN_MS = 10 * 60 * 1000;

export interface ReimageDeps {
  readonly provider: Provider;
  /** Arms the device's boot before an iPXE re-image (without it the script URL carries no token). */
  readonly arming?: BootArming;
  readonly follow?: FollowFn;
  readonly progress?: Progress;
  readonly now?: () => number;
  readonly reachability?: ReachabilityOptions;
  readonly pollMs?: number;
  readonly pollMaxMs?: number;
}

export interface ReimageInput {
  readonly resolved: ResolvedDevice;
  readonly target: ReimageTarget;
  readonly wait: boolean;
  readonly timeoutMs: number;
  readonly dryRun: boolean;
  /** Shown on timeout: how to look at the device, e.g. `metalboot console web-1`. */
  readonly consoleCommand: string;
  /** What --wait waits for (default: see wait.ts). */
  readonly until?: WaitUntil;
}

export async function reimage(deps: ReimageDeps, input: ReimageInput): Promise<ReimageSummary> {
  const { resolved } = input;
  const notReady = notReadyReason(resolved.device);
  if (notReady) throw new MetalbootError(notReady, { code: 'E_NOT_READY', hint: 'nothing was changed' });
  const armed = input.target.kind === 'ipxe' && !input.dryRun && deps.arming !== undefined && resolved.name !== undefined;
  // unarmed (a dry run): the script URL would answer 404, so only the URLs the script fetches are checked
  if (!armed) return reimageArmed(deps, input.target.kind === 'ipxe' ? { ...input, target: withoutScriptCheck(input.target) } : input);
  const name = resolved.name!;
  const token = deps.arming!.arm(name, Math.max(DEFAULT_WINDOW_MS, input.timeoutMs + WINDOW_MARGIN_MS));
  try {
    return await reimageArmed(deps, { ...input, target: withBootToken(input.target, token) });
  } catch (error) {
    deps.arming!.disarm(name); // nothing was changed (or the flow broke): the window closes
    throw error;
  }
}

function withoutScriptCheck(target: Extract<ReimageTarget, { kind: 'ipxe' }>): ReimageTarget {
  return { ...target, checkUrls: target.checkUrls.filter((url) => url !== target.scriptUrl) };
}

/** The script URL the provider is given carries the boot's token (and is the first URL checked). */
function withBootToken(target: ReimageTarget, token: string): ReimageTarget {
  if (target.kind !== 'ipxe') return target;
  const scriptUrl = `${target.scriptUrl}${target.scriptUrl.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
  return { ...target, scriptUrl, checkUrls: target.checkUrls.map((url) => (url === target.scriptUrl ? scriptUrl : url)) };
}

async function reimageArmed(deps: ReimageDeps, input: ReimageInput): Promise<ReimageSummary> {
  const now = deps.now ?? Date.now;
  const { resolved, target } = input;
  const label = labelOf(resolved);

  if (target.kind === 'ipxe') {
    const probe = deps.provider.probeFetch?.bind(deps.provider);
    const failures = await checkReachable(target.checkUrls, { ...(probe ? { fetch: probe } : {}), ...deps.reachability });
    if (failures.length > 0) {
      throw new MetalbootError(
        `not re-imaging ${label}: ${failures.length === 1 ? 'a URL' : `${failures.length} URLs`} its iPXE script needs ${failures.length === 1 ? 'is' : 'are'} unreachable: ${failures.map((f) => `${f.url} (${f.reason})`).join(', ')}`,
        { code: 'E_UNREACHABLE', hint: 'nothing was changed; start "metalboot serve" (or push the image) so the device can fetch them, then run again' },
      );
    }
  }

  const calls: CallRecord[] = [];
  const phases: PhaseRecord[] = [];
  const provider = recordingProvider(deps.provider, calls, { dryRun: input.dryRun, now: () => new Date(now()) });
  const plan = planReimage(resolved.device, target);
  const startedAt = now();
  const phase = (name: string, detail?: string): void => {
    const record: PhaseRecord = { phase: name, at: new Date(now()).toISOString(), elapsedMs: now() - startedAt, ...(detail ? { detail } : {}) };
    phases.push(record);
    deps.progress?.phase(record);
  };
  const finish = (result: ReimageResult, message?: string): ReimageSummary => {
    deps.progress?.stop();
    const finishedAt = now();
    return {
      device: { id: resolved.id, ...(resolved.name === undefined ? {} : { name: resolved.name }), hostname: resolved.device.hostname },
      provider: deps.provider.name,
      path: plan.path,
      calls,
      phases,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      totalMs: finishedAt - startedAt,
      result,
      ...(message === undefined ? {} : { message }),
      console: input.consoleCommand,
    };
  };

  try {
    for (const step of plan.steps) {
      if (step.call === 'update') await provider.updateDevice(resolved.id, step.changes);
      else if (step.call === 'reboot') await provider.reboot(resolved.id);
      else if (step.call === 'power_on') await provider.powerOn(resolved.id);
      else await provider.reinstall(resolved.id, step.options);
      if (!input.dryRun) phase(step.call === 'update' ? 'updated' : `${step.call} accepted`);
    }
  } catch (error) {
    if (!(error instanceof MetalbootError)) throw error;
    return finish('failed', `${error.message}${error.hint ? ` (${error.hint})` : ''}`);
  }
  if (input.dryRun) return finish('dry-run');
  if (!input.wait) return finish('started');

  // always_pxe goes off as soon as the install is done (before the installer's reboot), once.
  let alwaysPxeOff = false;
  const turnAlwaysPxeOff = async (): Promise<void> => {
    if (alwaysPxeOff || !turnsAlwaysPxeOff(target)) return;
    alwaysPxeOff = true;
    try {
      await provider.updateDevice(resolved.id, { alwaysPxe: false });
    } catch (error) {
      if (!(error instanceof MetalbootError)) throw error;
      throw new MetalbootError(`the install succeeded, but turning always_pxe off failed: ${error.message}; turn it off by hand or the device will boot the installer again`, { code: 'E_REIMAGE' });
    }
    phase('always_pxe off', 'the next boot uses the installed disk');
  };
  const outcome = await waitForReimage(
    { ...deps, provider, now },
    {
      id: resolved.id, ...(resolved.name ? { name: resolved.name } : {}), target, startedAt, timeoutMs: input.timeoutMs, phase, info: (text) => deps.progress?.info(text),
      ...(input.until ? { until: input.until } : {}), onInstalled: turnAlwaysPxeOff,
    },
  );
  if (outcome.result === 'timeout') {
    const bootPhases = phases.filter((p) => BOOT_PHASES.includes(p.phase));
    const last = bootPhases.at(-1) ?? phases.at(-1);
    const reached = last ? `${last.phase} at +${formatElapsed(last.elapsedMs)}` : 'none';
    return finish('timeout', `timed out after ${formatElapsed(input.timeoutMs)} waiting for ${label}; last phase reached: ${reached}; look at its console: ${input.consoleCommand}`);
  }
  if (outcome.result === 'failed') return finish('failed', `${outcome.message ?? 'the re-image failed'}; look at its console: ${input.consoleCommand}`);
  phase('succeeded', outcome.message);
  try {
    await turnAlwaysPxeOff(); // a device that never said `installed` (a stock OS path, a legacy installer): now
  } catch (error) {
    if (!(error instanceof MetalbootError)) throw error;
    return finish('failed', error.message);
  }
  return finish('succeeded', outcome.message);
}
