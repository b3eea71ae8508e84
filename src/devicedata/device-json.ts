/**
 * /etc/metalboot/device.json: what a RAM image needs to know about the device it boots on
 * (contract C of docs/rootfs.md): host name, bond0 and its slaves' MACs, network settings, root's
 * SSH keys, and the URL of the "booted" report, which carries the boot's token. Pure: the same
 * input gives the same bytes (keys in a fixed order, no time).
 */
import type { DeviceConfig } from '../config/types.js';
import { normalizeMac } from '../config/mac.js';
import { deviceUrls } from '../ipxe/urls.js';

export const DEVICE_DATA_SCHEMA = 1;
/** Where the data lands in the root file system (the shipped units read it there). */
export const DEVICE_DATA_PATH = 'etc/metalboot/device.json';

export interface DeviceDataInput {
  readonly device: DeviceConfig;
  /** The boot's token: it authorizes the report (and only this device's). */
  readonly token: string;
  /** The server's public base URL, as the device reaches it. */
  readonly baseUrl: string;
  /** The bond's slaves when the config lists none: the provider's NIC MACs (the server's portMacs). */
  readonly bondMacs?: readonly string[];
}

export interface DeviceData {
  readonly schema: typeof DEVICE_DATA_SCHEMA;
  readonly device: string;
  readonly hostname: string;
  /** null when the device has no MACs in the config: the image then asks for DHCP on every NIC. */
  readonly bond: {
    readonly name: 'bond0';
    readonly mode: string;
    readonly lacp_rate: 'slow' | 'fast';
    readonly miimon: number;
    readonly xmit_hash_policy: string;
    readonly slaves: readonly string[];
  } | null;
  readonly network: { readonly dhcp: 'ipv4' };
  readonly ssh_authorized_keys: readonly string[];
  readonly report: { readonly url: string };
}

export function buildDeviceData(input: DeviceDataInput): DeviceData {
  const { device } = input;
  // The provider's MACs come from outside: normalized, and whatever is not a MAC is left out
  // (the image's network.jq would refuse the whole file for one bad value).
  const macs = device.macs.length > 0 ? device.macs : (input.bondMacs ?? []).flatMap((mac) => normalizeMac(mac) ?? []);
  return {
    schema: DEVICE_DATA_SCHEMA,
    device: device.name,
    hostname: device.hostname,
    bond: macs.length === 0 ? null : {
      name: 'bond0',
      mode: device.bond.mode,
      lacp_rate: device.bond.lacpRate,
      miimon: device.bond.miimon,
      xmit_hash_policy: device.bond.xmitHashPolicy,
      slaves: [...macs],
    },
    network: { dhcp: 'ipv4' },
    ssh_authorized_keys: [...device.sshKeys],
    report: { url: deviceUrls(input.baseUrl, device.name, input.token).events },
  };
}

export function renderDeviceJson(input: DeviceDataInput): string {
  return `${JSON.stringify(buildDeviceData(input), null, 2)}\n`;
}
