/**
 * The resources that change: systems (power, boot override, reset types, settings), their NICs, the
 * manager's links, the sessions and the tasks. Each is the mockup's resource with the simulator's
 * state written into it. Pure.
 */
import { createHash } from 'node:crypto';
import { MOCKUP_SYSTEM } from './world.js';
import type { SimSystem } from './world.js';
import type { Quirks } from './profiles.js';
import { mockupResource } from './mockup.js';

type Json = Record<string, unknown>;

export const ROOT = '/redfish/v1';
const MOCKUP_SYSTEM_PATH = `${ROOT}/Systems/${MOCKUP_SYSTEM.id}`;
const COPYRIGHT = 'Copyright 2014-2025 DMTF. For the full DMTF copyright policy, see http://www.dmtf.org/about/policies/copyright.';
const BASE_TARGETS = ['None', 'Pxe', 'Cd', 'Usb', 'Hdd', 'BiosSetup', 'Utilities', 'Diags', 'SDCard', 'UefiTarget'];
const ALL_RESETS = ['On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart', 'ForceRestart', 'Nmi', 'ForceOn', 'PushPowerButton'];

export function systemPath(system: Pick<SimSystem, 'id'>): string {
  return `${ROOT}/Systems/${system.id}`;
}

/** The mockup's resource for a path under one system, renamed to that system. */
export function systemSubresource(system: SimSystem, path: string): Json | undefined {
  const rest = path.slice(systemPath(system).length);
  return mockupResource(`${MOCKUP_SYSTEM_PATH}${rest}`, { from: MOCKUP_SYSTEM_PATH, to: systemPath(system) });
}

export function allowedTargets(quirks: Quirks): string[] {
  return quirks.uefiHttp ? [...BASE_TARGETS, 'UefiHttp'] : BASE_TARGETS;
}

export function allowedResetTypes(quirks: Quirks): string[] {
  if (quirks.onOffOnly) return ['On', 'ForceOff'];
  if (quirks.noForceRestart) return ['On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart'];
  return ALL_RESETS;
}

export function allowedEnabled(quirks: Quirks): string[] | undefined {
  return quirks.noContinuous ? undefined : ['Disabled', 'Once', 'Continuous'];
}

export function systemResource(system: SimSystem, quirks: Quirks): Json {
  const path = systemPath(system);
  const template = systemSubresource(system, path)!;
  const boot: Json = {
    BootSourceOverrideEnabled: system.boot.enabled,
    ...(allowedEnabled(quirks) ? { 'BootSourceOverrideEnabled@Redfish.AllowableValues': allowedEnabled(quirks) } : {}),
    BootSourceOverrideTarget: system.boot.target,
    'BootSourceOverrideTarget@Redfish.AllowableValues': allowedTargets(quirks),
    BootSourceOverrideMode: system.boot.mode,
    UefiTargetBootSourceOverride: (template.Boot as Json | undefined)?.UefiTargetBootSourceOverride ?? null,
    ...(quirks.uefiHttp ? { HttpBootUri: system.boot.httpBootUri } : {}),
  };
  const actions = template.Actions as Json;
  return {
    ...template,
    Id: system.id,
    Name: system.name,
    HostName: system.hostName,
    UUID: system.uuid,
    SerialNumber: system.id,
    PowerState: system.power,
    Boot: boot,
    BootProgress: { LastState: system.bootState, LastStateTime: system.lastResetTime },
    LastResetTime: system.lastResetTime,
    SerialConsole: {
      MaxConcurrentSessions: 1,
      SSH: { ServiceEnabled: true, Port: 2200, SharedWithManagerCLI: false, HotKeySequenceDisplay: 'Press ~. to exit console' },
      IPMI: { ServiceEnabled: true, Port: 623, HotKeySequenceDisplay: 'Press ~. to exit console' },
    },
    Actions: {
      ...actions,
      '#ComputerSystem.Reset': { target: `${path}/Actions/ComputerSystem.Reset`, 'ResetType@Redfish.AllowableValues': allowedResetTypes(quirks) },
    },
    ...(quirks.bootSettings
      ? { '@Redfish.Settings': { '@odata.type': '#Settings.v1_4_0.Settings', SettingsObject: { '@odata.id': `${path}/Settings` }, SupportedApplyTimes: ['OnReset'] } }
      : {}),
  };
}

/** The pending-settings resource of a system (boot-settings profile). */
export function settingsResource(system: SimSystem): Json {
  const boot = { ...system.boot, ...system.pending };
  return {
    '@odata.type': '#ComputerSystem.v1_27_0.ComputerSystem',
    Id: 'Settings',
    Name: `${system.name} Pending Settings`,
    Boot: { BootSourceOverrideEnabled: boot.enabled, BootSourceOverrideTarget: boot.target, BootSourceOverrideMode: boot.mode },
    '@odata.id': `${systemPath(system)}/Settings`,
  };
}

export function systemCollection(systems: Iterable<SimSystem>): Json {
  const members = [...systems].map((system) => ({ '@odata.id': systemPath(system) }));
  return { ...mockupResource(`${ROOT}/Systems`), 'Members@odata.count': members.length, Members: members };
}

/** NIC ids are the MAC's hex digits, upper case (the mockup's convention). */
export function nicId(mac: string): string {
  return mac.replace(/:/g, '').toUpperCase();
}

export function nicCollection(system: SimSystem): Json {
  const members = system.macs.map((mac) => ({ '@odata.id': `${systemPath(system)}/EthernetInterfaces/${nicId(mac)}` }));
  return { ...systemSubresource(system, `${systemPath(system)}/EthernetInterfaces`), 'Members@odata.count': members.length, Members: members };
}

export function nicResource(system: SimSystem, id: string): Json | undefined {
  const mac = system.macs.find((candidate) => nicId(candidate) === id);
  if (mac === undefined) return undefined;
  const template = systemSubresource(system, `${systemPath(system)}/EthernetInterfaces/12446A3B0411`)!;
  const { Links: _links, ...rest } = template;
  const upper = mac.toUpperCase();
  return { ...rest, Id: id, Description: `System NIC ${system.macs.indexOf(mac) + 1}`, MACAddress: upper, PermanentMACAddress: upper, HostName: system.hostName, '@odata.id': `${systemPath(system)}/EthernetInterfaces/${id}` };
}

export function managerResource(systems: Iterable<SimSystem>): Json {
  const manager = mockupResource(`${ROOT}/Managers/BMC`)!;
  const links = manager.Links as Json;
  return { ...manager, Links: { ...links, ManagerForServers: [...systems].map((system) => ({ '@odata.id': systemPath(system) })) } };
}

export function collection(odataType: string, name: string, path: string, members: readonly string[]): Json {
  return { '@odata.type': odataType, Name: name, 'Members@odata.count': members.length, Members: members.map((id) => ({ '@odata.id': id })), '@odata.id': path, '@Redfish.Copyright': COPYRIGHT };
}

/** A resource's ETag: a hash of what it shows (without its own @odata.etag), weak unless asked. */
export function etagOf(body: unknown, strong: boolean): string {
  const { '@odata.etag': _old, ...rest } = body as Json;
  const hash = createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 20);
  return strong ? `"${hash}"` : `W/"${hash}"`;
}
