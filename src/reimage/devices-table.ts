/** `metalboot devices` output: a plain aligned table, or JSON rows. Pure. */
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
  };
}

const HEADERS = ['ID', 'HOSTNAME', 'STATE', 'OS', 'ALWAYS_PXE', 'PLAN', 'METRO', 'IPXE_SCRIPT_URL'];

export function formatDeviceTable(devices: readonly ProviderDevice[]): string {
  const rows = [...devices]
    .sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id))
    .map((d) => [d.id, d.hostname, d.state, d.operatingSystem ?? '-', d.alwaysPxe ? 'true' : 'false', d.plan ?? '-', d.metro ?? '-', d.ipxeScriptUrl ?? '-']);
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return `${[HEADERS, ...rows].map(line).join('\n')}\n`;
}
