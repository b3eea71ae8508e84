/**
 * The devices page: one row per configured device (name, MACs, image, provider state, always_pxe,
 * the current or last boot's phase and since when). Filtered on the server by the query (name,
 * image, state) and in the browser as you type; each row carries `data-device` so a live update
 * rewrites that row's phase cells only.
 */
import type { Config, DeviceConfig } from '../../config/types.js';
import type { Html } from '../html.js';
import { html } from '../html.js';
import { age } from '../layout.js';
import type { DeviceStatus } from '../phases.js';
import { PHASES } from '../phases.js';
import type { ProviderView } from '../provider-state.js';

export interface DeviceFilter {
  readonly name?: string;
  readonly image?: string;
  /** A phase, or `none` (never booted). */
  readonly state?: string;
}

export interface DevicesInput {
  readonly config: Config;
  readonly status: (device: string) => DeviceStatus | undefined;
  readonly provider: ProviderView | undefined;
  readonly filter: DeviceFilter;
  readonly now?: number;
}

export function deviceUrl(name: string): string {
  return `/ui/devices/${encodeURIComponent(name)}`;
}

export function matches(device: DeviceConfig, status: DeviceStatus | undefined, filter: DeviceFilter): boolean {
  if (filter.name && !device.name.toLowerCase().includes(filter.name.toLowerCase())) return false;
  if (filter.image && device.image !== filter.image) return false;
  if (filter.state && (status?.phase ?? 'none') !== filter.state) return false;
  return true;
}

export function devicesPage(input: DevicesInput): Html {
  const { config, filter } = input;
  const now = input.now ?? Date.now();
  const all = Object.values(config.devices);
  const rows: Html[] = [];
  for (const device of all) {
    const status = input.status(device.name);
    if (matches(device, status, filter)) rows.push(deviceRow(device, status, input.provider, now));
  }
  const option = (value: string, label: string, selected: string | undefined): Html =>
    html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
  return html`<h1>Devices</h1>
${input.provider?.error ? html`<p class="warning" role="status">Provider state unknown: ${input.provider.error}</p>` : ''}
<form method="get" action="/ui/devices" class="filters" role="search" aria-label="Filter devices">
<label>Name <input type="search" name="name" value="${filter.name ?? ''}" data-filter="name" autocomplete="off"></label>
<label>Image <select name="image" data-filter="image">${option('', 'any', filter.image)}${Object.keys(config.images).map((name) => option(name, name, filter.image))}</select></label>
<label>State <select name="state" data-filter="state">${option('', 'any', filter.state)}${option('none', 'never booted', filter.state)}${PHASES.map((p) => option(p, p, filter.state))}</select></label>
<button type="submit">Filter</button>
</form>
<table id="devices" class="data">
<caption><span id="device-count">${rows.length}</span> of ${all.length} devices</caption>
<thead><tr><th scope="col">Name</th><th scope="col">MACs</th><th scope="col">Image</th><th scope="col">Provider state</th><th scope="col">always_pxe</th><th scope="col">Boot phase</th><th scope="col">Since</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
`;
}

function deviceRow(device: DeviceConfig, status: DeviceStatus | undefined, provider: ProviderView | undefined, now: number): Html {
  const remote = provider?.devices.get(device.name);
  const alwaysPxe = remote ? String(remote.alwaysPxe) : String(device.alwaysPxe);
  return html`<tr data-device="${device.name}" data-image="${device.image}" data-phase="${status?.phase ?? 'none'}" data-event="${status?.eventId ?? 0}">
<th scope="row"><a href="${deviceUrl(device.name)}">${device.name}</a></th><td>${device.macs.join(' ')}</td><td>${device.image}</td><td>${remote?.state ?? (provider?.pending ? 'asking…' : provider ? 'unknown' : '—')}</td><td>${alwaysPxe}</td>${statusCells(status, now)}</tr>
`;
}

/** The two live cells of a row; the client rebuilds exactly these from a stream message. */
export function statusCells(status: DeviceStatus | undefined, now: number): Html {
  if (!status) return html`<td class="phase"><span class="badge phase-none">never booted</span></td><td class="since">—</td>`;
  return html`<td class="phase"><span class="badge phase-${status.phase}">${status.phase}</span></td><td class="since"><time datetime="${status.since}">${age(status.since, now)}</time></td>`;
}
