/**
 * A device's page: its facts, the Re-image action (operators with the write token, when a provider
 * is configured), its boots as timelines, its events, and its rendered iPXE script with every
 * device token hidden. The boot history is also served alone (`historyFragment`) for live refresh.
 */
import type { DeviceConfig } from '../../config/types.js';
import type { BootEvent } from '../../events/types.js';
import type { ProviderDevice } from '../../providers/provider.js';
import type { Html } from '../html.js';
import { html } from '../html.js';
import { bootsOf } from '../phases.js';
import type { Session } from '../sessions.js';
import { deviceUrl } from './devices.js';
import { EVENT_HEAD, eventRow } from './event-rows.js';
import { timeline } from './timeline.js';

const SHOWN_BOOTS = 10;
const SHOWN_EVENTS = 200;

export interface DeviceInput {
  readonly device: DeviceConfig;
  readonly session: Session;
  readonly events: readonly BootEvent[];
  /** The script as served, tokens already hidden; or why there is none. */
  readonly script: { readonly text: string } | { readonly error: string };
  readonly remote: ProviderDevice | undefined;
  /** Why re-imaging is not offered, or undefined when it is. */
  readonly reimageUnavailable: string | undefined;
  /** The QEMU console's last lines, when the device is a QEMU VM of this server's state dir. */
  readonly console: string | undefined;
  readonly now?: number;
}

export function devicePage(input: DeviceInput): Html {
  const { device, remote } = input;
  return html`<h1>Device ${device.name}</h1>
<dl class="facts">
<dt>MACs</dt><dd>${device.macs.join(' ') || '—'}</dd>
<dt>Image</dt><dd>${device.image}</dd>
<dt>Hostname</dt><dd>${device.hostname}</dd>
<dt>always_pxe</dt><dd>${String(device.alwaysPxe)}${remote ? ` (provider: ${String(remote.alwaysPxe)})` : ''}</dd>
<dt>Provider state</dt><dd>${remote ? `${remote.state}${remote.operatingSystem ? `, ${remote.operatingSystem}` : ''}` : 'unknown'}</dd>
</dl>
${reimageForm(input)}
<section aria-labelledby="boots-title">
<h2 id="boots-title">Boots</h2>
<div id="history" data-fragment="${deviceUrl(device.name)}/history">
${historyFragment(input.events, input.console, input.now)}
</div>
</section>
<section aria-labelledby="script-title">
<h2 id="script-title">iPXE script</h2>
${'text' in input.script ? html`<pre class="script">${input.script.text}</pre>` : html`<p>${input.script.error}</p>`}
</section>
`;
}

function reimageForm(input: DeviceInput): Html {
  if (input.reimageUnavailable) return html`<p class="note">Re-image: ${input.reimageUnavailable}</p>`;
  return html`<form method="post" action="${deviceUrl(input.device.name)}/reimage" class="reimage">
<input type="hidden" name="csrf" value="${input.session.csrf}">
<label><input type="checkbox" name="confirm" value="yes" required> Re-image ${input.device.name}: it reboots into ${input.device.image}</label>
<button type="submit">Re-image</button>
</form>`;
}

/** The boots (newest first), the latest events and the console tail: replaced in place when the device's events change. */
export function historyFragment(events: readonly BootEvent[], console: string | undefined, now?: number): Html {
  const boots = bootsOf(events).reverse().slice(0, SHOWN_BOOTS);
  const recent = events.slice(-SHOWN_EVENTS).reverse();
  return html`${boots.length === 0 ? html`<p>No boot seen yet.</p>` : boots.map((boot, i) => html`<article class="boot" aria-label="Boot at ${boot.start}">
<h3>${i === 0 ? 'Latest boot' : 'Boot'}, <time datetime="${boot.start}">${boot.start.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time></h3>
${timeline(boot, now)}
</article>`)}
<h2>Events</h2>
<table class="data events"><caption>Latest ${recent.length} events, newest first</caption>${EVENT_HEAD}<tbody>
${recent.map(eventRow)}</tbody></table>
${console === undefined ? '' : html`<h2>Console</h2>
<pre class="console" aria-label="Serial console, last lines">${console}</pre>`}`;
}
