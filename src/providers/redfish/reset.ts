/**
 * ComputerSystem.Reset without ever resetting twice by accident:
 * - the ResetType comes from the power state and the allowed types (inline annotation or ActionInfo);
 * - a refusal because the system is already in the asked state (On when on) is read back and counts as done;
 * - after an ambiguous failure (no answer, 5xx) the system is read: a new LastResetTime, another power
 *   state or a consumed Once override mean it happened; otherwise an On/Off is sent once more (harmless),
 *   but a restart is not: the caller gets an error telling it to look instead of a second reset.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ProviderError } from '../../errors.js';
import type { BmcHandle } from './bmc.js';
import type { Resource } from './client.js';
import { RedfishError } from './errors.js';
import type { PowerGoal } from './power.js';
import { planReset, settledState } from './power.js';

type Json = Record<string, unknown>;

export interface ResetOptions {
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Reads after an ambiguous failure before deciding nothing happened. */
  readonly confirmReads?: number;
  readonly confirmDelayMs?: number;
  /** How long to wait for Off between the two steps of an off-then-on restart. */
  readonly settleTimeoutMs?: number;
}

export async function resetSystem(handle: BmcHandle, goal: PowerGoal, before: Resource, options: ResetOptions): Promise<void> {
  const action = ((before.body.Actions ?? {}) as Json)['#ComputerSystem.Reset'] as Json | undefined;
  const target = typeof action?.target === 'string' ? action.target : `${await handle.resolveSystem()}/Actions/ComputerSystem.Reset`;
  const plan = planReset(goal, stringOf(before.body.PowerState), await allowedResetTypes(handle, action));
  if ('refusal' in plan) throw new ProviderError(`cannot ${goal === 'reboot' ? 'restart' : `power ${goal}`} ${handle.device.name}: ${plan.refusal}`, { code: 'E_REDFISH_RESET' });
  for (const [index, type] of plan.steps.entries()) {
    if (index > 0) await waitForPower(handle, 'Off', options);
    await sendReset(handle, target, type, index === 0 ? before : await handle.readSystem(), options);
  }
}

async function sendReset(handle: BmcHandle, target: string, type: string, before: Resource, options: ResetOptions): Promise<void> {
  const name = handle.device.name;
  const action = `reset ${name} (${type})`;
  for (let attempt = 1; ; attempt++) {
    try {
      await handle.client.post(target, { ResetType: type }, action);
      return;
    } catch (error) {
      if (!(error instanceof RedfishError)) throw error;
      const settled = settledState(type);
      if (!error.ambiguous) {
        if (settled && error.status !== undefined && error.status >= 400 && error.status < 500 && stringOf((await handle.readSystem()).body.PowerState) === settled) {
          options.log(`${action}: refused, and the system is already ${settled}; counting it as done`);
          return;
        }
        throw error;
      }
      options.log(`${action}: ${error.code}; reading the system to see whether it took effect`);
      if (await tookEffect(handle, before, settled, options)) {
        options.log(`${action}: the system shows it took effect; not sending it again`);
        return;
      }
      if (!settled || attempt >= 3) {
        throw new RedfishError(`${error.message}; the system shows no sign of the ${type} yet, and a second reset could interrupt a first one that is still under way`, {
          device: name, action, ...(error.status === undefined ? {} : { status: error.status }), messageIds: error.messageIds, ambiguous: true, code: 'E_REDFISH_AMBIGUOUS_RESET', cause: error,
          hint: `look at the system (metalboot devices --provider redfish, or its console) before running the command again`,
        });
      }
      options.log(`${action}: the system is unchanged; ${type} is harmless to repeat, sending it again`);
    }
  }
}

async function tookEffect(handle: BmcHandle, before: Resource, settled: 'On' | 'Off' | undefined, options: ResetOptions): Promise<boolean> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const reads = options.confirmReads ?? 3;
  for (let read = 0; read < reads; read++) {
    if (read > 0) await sleep((options.confirmDelayMs ?? 2_000) * read);
    const now = (await handle.readSystem()).body;
    const was = before.body;
    const onceConsumed = ((was.Boot as Json | undefined)?.BootSourceOverrideEnabled === 'Once') && ((now.Boot as Json | undefined)?.BootSourceOverrideEnabled === 'Disabled');
    if ((now.LastResetTime !== undefined && now.LastResetTime !== was.LastResetTime) || now.PowerState !== was.PowerState || onceConsumed) return true;
    if (settled && now.PowerState === settled) return true;
  }
  return false;
}

async function waitForPower(handle: BmcHandle, state: 'On' | 'Off', options: ResetOptions): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const deadline = Date.now() + (options.settleTimeoutMs ?? 120_000);
  for (let poll = 0; ; poll++) {
    if (stringOf((await handle.readSystem()).body.PowerState) === state) return;
    if (Date.now() > deadline) throw new ProviderError(`${handle.device.name} did not reach power state ${state} in time`, { code: 'E_REDFISH_RESET', hint: 'look at the system in the BMC' });
    await sleep(Math.min(500 * 2 ** poll, 5_000));
  }
}

/** ResetType@Redfish.AllowableValues, else the ActionInfo's ResetType parameter, else undefined (all). */
async function allowedResetTypes(handle: BmcHandle, action: Json | undefined): Promise<readonly string[] | undefined> {
  const inline = action?.['ResetType@Redfish.AllowableValues'];
  if (Array.isArray(inline)) return inline.filter((item): item is string => typeof item === 'string');
  const info = action?.['@Redfish.ActionInfo'];
  if (typeof info !== 'string') return undefined;
  const parameters = (await handle.client.get(info, 'read the reset parameters')).body.Parameters;
  const reset = Array.isArray(parameters) ? (parameters as Json[]).find((parameter) => parameter.Name === 'ResetType') : undefined;
  return Array.isArray(reset?.AllowableValues) ? reset.AllowableValues.filter((item): item is string => typeof item === 'string') : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
