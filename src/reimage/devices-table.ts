/** `metalboot devices` output: a plain aligned table (POWER and BOOT_OVERRIDE when a BMC reports them), or JSON rows. Pure. */
import type { ProviderDevice } from '../providers/provider.js';

export interface DeviceRow {
  readonly id: string;
  readonly hostname: string;
  readonly state: string;
  readonly operatingSystem: string | null;
  readonly alwaysPxe: boolean;
  readonly ipxeScriptUrl: string | null;
  readonly plan: string | null;
  readonly metro: string | null;
  /** Redfish: the BMC's power state and boot override (absent for providers without them). */
  readonly power?: string;
  readonly bootOverride?: string;
  /** QEMU: where this host reaches the device's SSH (`unix:<path>`), what `metalboot ssh` opens. */
  readonly ssh?: string;
}

export function deviceRow(device: ProviderDevice): DeviceRow {
  return {
    id: device.id,
    hostname: device.hostname,
    state: device.state,
    operatingSystem: device.operatingSystem ?? null,
    alwaysPxe: device.alwaysPxe,
    ipxeScriptUrl: device.ipxeScriptUrl ?? null,
    plan: device.plan ?? null,
    metro: device.metro ?? null,
    ...(device.power === undefined ? {} : { power: device.power }),
    ...(device.bootOverride === undefined ? {} : { bootOverride: device.bootOverride }),
    ...(device.ssh === undefined ? {} : { ssh: device.ssh }),
  };
}

const HEADERS = ['ID', 'HOSTNAME', 'STATE', 'OS', 'ALWAYS_PXE', 'PLAN', 'METRO', 'IPXE_SCRIPT_URL'];

const BMC_HEADERS = ['POWER', 'BOOT_OVERRIDE'];

export function formatDeviceTable(devices: readonly ProviderDevice[]): string {
  const bmc = devices.some((d) => d.power !== undefined || d.bootOverride !== undefined);
  const headers = bmc ? [...HEADERS.slice(0, 3), ...BMC_HEADERS, ...HEADERS.slice(3)] : HEADERS;
  const rows = [...devices]
    .sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id))
    .map((d) => [d.id, d.hostname, d.state, ...(bmc ? [d.power ?? '-', d.bootOverride ?? '-'] : []), d.operatingSystem ?? '-', d.alwaysPxe ? 'true' : 'false', d.plan ?? '-', d.metro ?? '-', d.ipxeScriptUrl ?? '-']);
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return `${[headers, ...rows].map(line).join('\n')}\n`;
}
