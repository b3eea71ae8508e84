/** A ComputerSystem as the provider-independent ProviderDevice. Pure. */
import type { DeviceState, ProviderDevice } from '../provider.js';
import { bootViewOf } from './boot.js';
import { clean } from './errors.js';

type Json = Record<string, unknown>;

const STATES: Readonly<Record<string, DeviceState>> = { On: 'active', Off: 'inactive', PoweringOn: 'powering_on', PoweringOff: 'powering_off', Paused: 'inactive' };

export function toProviderDevice(input: { id: string; hostname: string; system: Json; macs: readonly string[]; rearmOnce: boolean; scriptUrl?: string }): ProviderDevice {
  const { system } = input;
  const power = typeof system.PowerState === 'string' ? clean(system.PowerState) : undefined;
  const view = bootViewOf(system.Boot as Json | undefined);
  const override = view.enabled === undefined || view.enabled === 'Disabled' || view.target === undefined || view.target === 'None'
    ? 'none'
    : `${clean(view.target)} (${clean(view.enabled)})`;
  const model = [system.Manufacturer, system.Model].filter((part): part is string => typeof part === 'string' && part !== '').map(clean).join(' ');
  return {
    id: input.id,
    hostname: input.hostname,
    state: (power === undefined ? undefined : STATES[power]) ?? 'failed',
    operatingSystem: 'custom_ipxe',
    alwaysPxe: view.enabled === 'Continuous' || input.rearmOnce,
    macs: input.macs,
    ...(input.scriptUrl ? { ipxeScriptUrl: input.scriptUrl } : {}),
    ...(model ? { plan: model } : {}),
    ...(power === undefined ? {} : { power }),
    bootOverride: override,
  };
}

/** The lower-case MAC of an EthernetInterface, if it has a valid one. */
export function macOf(nic: Json): string | undefined {
  const mac = typeof nic.MACAddress === 'string' ? nic.MACAddress : typeof nic.PermanentMACAddress === 'string' ? nic.PermanentMACAddress : undefined;
  const normal = mac?.trim().toLowerCase().replace(/-/g, ':');
  return normal && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(normal) && normal !== '00:00:00:00:00:00' ? normal : undefined;
}
