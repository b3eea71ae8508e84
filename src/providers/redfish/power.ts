/**
 * Which ResetType(s) to send, from the power state and the ResetTypes the system allows. Pure.
 * - reboot: off → power on; on → ForceRestart, else PowerCycle, else GracefulRestart, else ForceOff then On.
 * - power on: On, else ForceOn, else PushPowerButton; nothing when already on.
 * - power off: ForceOff, else GracefulShutdown, else PushPowerButton; nothing when already off.
 * Without an advertised list every DMTF ResetType is assumed.
 */
export type PowerGoal = 'reboot' | 'on' | 'off';

const ON = ['On', 'ForceOn', 'PushPowerButton'];
const OFF = ['ForceOff', 'GracefulShutdown', 'PushPowerButton'];
const RESTART = ['ForceRestart', 'PowerCycle', 'GracefulRestart'];

export type ResetPlan = { readonly steps: readonly string[] } | { readonly refusal: string };

export function planReset(goal: PowerGoal, powerState: string | undefined, allowed: readonly string[] | undefined): ResetPlan {
  const can = (type: string) => allowed === undefined || allowed.includes(type);
  const first = (types: readonly string[]) => types.find(can);
  const on = powerState !== 'Off';
  if (goal === 'off') return on ? stepsOr([first(OFF)], 'power off', allowed) : { steps: [] };
  if (goal === 'on' || !on) return on ? { steps: [] } : stepsOr([first(ON)], 'power on', allowed);
  const restart = first(RESTART);
  if (restart) return { steps: [restart] };
  return stepsOr([first(['ForceOff', 'GracefulShutdown']), first(['On', 'ForceOn'])], 'restart', allowed);
}

function stepsOr(steps: readonly (string | undefined)[], what: string, allowed: readonly string[] | undefined): ResetPlan {
  if (steps.every((step): step is string => step !== undefined)) return { steps };
  return { refusal: `its BMC allows no ResetType to ${what} (ResetType@Redfish.AllowableValues: ${(allowed ?? []).join(', ')})` };
}

/** The power state a reset type ends in when it cannot happen because the system is already there. */
export function settledState(type: string): 'On' | 'Off' | undefined {
  if (type === 'On' || type === 'ForceOn') return 'On';
  if (type === 'ForceOff' || type === 'GracefulShutdown') return 'Off';
  return undefined;
}
