/** In-memory Metal devices for the simulator: spec-shaped objects and their seed helper. */
import { randomUUID } from 'node:crypto';

/**
 * The device states the simulator serves: the spec's Device.state enum (components/schemas/Device.yaml).
 * The simulator owns this list instead of borrowing the provider's, so a provider bug cannot hide
 * behind a shared type; test/sim/states.test.ts checks it against the spec.
 */
export const SIM_STATES = [
  'queued', 'provisioning', 'deprovisioning', 'reinstalling', 'active', 'inactive', 'failed', 'powering_on', 'powering_off', 'deleted',
] as const;

export type SimState = (typeof SIM_STATES)[number];

/** Metal's rule for custom_ipxe: it needs a script URL or `#!ipxe` userdata (the API answers 422). */
export function customIpxeRefusal(operatingSystem: string, ipxeScriptUrl: string | undefined, userdata: string | undefined): string | undefined {
  if (operatingSystem !== 'custom_ipxe' || ipxeScriptUrl || userdata?.startsWith('#!ipxe')) return undefined;
  return 'custom_ipxe requires an ipxe_script_url or userdata that begins with #!ipxe';
}

export interface SimDevice {
  id: string;
  hostname: string;
  state: SimState;
  operatingSystem: string;
  alwaysPxe: boolean;
  ipxeScriptUrl?: string;
  userdata?: string;
  plan: string;
  metro: string;
  macs: string[];
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface SimDeviceSeed {
  readonly id?: string;
  readonly hostname: string;
  readonly state?: SimState;
  readonly operatingSystem?: string;
  readonly alwaysPxe?: boolean;
  readonly ipxeScriptUrl?: string;
  readonly userdata?: string;
  readonly plan?: string;
  readonly metro?: string;
  readonly macs?: readonly string[];
  readonly tags?: readonly string[];
}

let macCounter = 0;

function nextMac(): string {
  macCounter += 1;
  const hex = macCounter.toString(16).padStart(6, '0');
  return `b4:96:91:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

export function seedDevice(seed: SimDeviceSeed, now = new Date()): SimDevice {
  const time = now.toISOString();
  return {
    id: seed.id ?? randomUUID(),
    hostname: seed.hostname,
    state: seed.state ?? 'active',
    operatingSystem: seed.operatingSystem ?? 'ubuntu_22_04',
    alwaysPxe: seed.alwaysPxe ?? false,
    ...(seed.ipxeScriptUrl === undefined ? {} : { ipxeScriptUrl: seed.ipxeScriptUrl }),
    ...(seed.userdata === undefined ? {} : { userdata: seed.userdata }),
    plan: seed.plan ?? 'c3.small.x86',
    metro: seed.metro ?? 'da',
    macs: seed.macs ? [...seed.macs] : [nextMac(), nextMac()],
    tags: seed.tags ? [...seed.tags] : [],
    createdAt: time,
    updatedAt: time,
  };
}

/** The device as the API shows it (components/schemas/Device.yaml). */
export function deviceJson(device: SimDevice, projectId: string): Record<string, unknown> {
  return {
    id: device.id,
    href: `/metal/v1/devices/${device.id}`,
    short_id: device.id.slice(0, 8),
    hostname: device.hostname,
    state: device.state,
    always_pxe: device.alwaysPxe,
    ...(device.ipxeScriptUrl === undefined ? {} : { ipxe_script_url: device.ipxeScriptUrl }),
    ...(device.userdata === undefined ? {} : { userdata: device.userdata }),
    operating_system: { slug: device.operatingSystem, name: osName(device.operatingSystem), distro: device.operatingSystem.split('_')[0] },
    plan: { slug: device.plan, name: device.plan, class: device.plan },
    metro: { code: device.metro, name: device.metro.toUpperCase(), id: '108b2cfb-246b-45e3-885a-bf3e82fce1a0' },
    network_ports: [
      { type: 'NetworkBondPort', name: 'bond0', id: randomUUIDFor(device.id, 0), network_type: 'layer3', data: { bonded: true } },
      ...device.macs.map((mac, index) => ({
        type: 'NetworkPort',
        name: `eth${index}`,
        id: randomUUIDFor(device.id, index + 1),
        data: { mac, bonded: true },
      })),
    ],
    sos: `sos.${device.metro}2.platformequinix.com`,
    project_lite: { href: `/metal/v1/projects/${projectId}` },
    tags: device.tags,
    actions: [
      { type: 'power_on', name: 'Power On' },
      { type: 'power_off', name: 'Power Off' },
      { type: 'reboot', name: 'Reboot' },
      { type: 'reinstall', name: 'Reinstall' },
    ],
    created_at: device.createdAt,
    updated_at: device.updatedAt,
  };
}

function osName(slug: string): string {
  return slug === 'custom_ipxe' ? 'Custom iPXE' : slug.replace(/_/g, ' ');
}

/** A stable UUID-shaped id for a device's port (the spec wants format: uuid). */
function randomUUIDFor(deviceId: string, index: number): string {
  return `${deviceId.slice(0, 24)}${index.toString(16).padStart(12, '0')}`;
}
