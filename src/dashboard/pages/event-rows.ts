/** Boot events as table rows (device page, events page): every field from outside is escaped, tokens are hidden. */
import { redactTokens } from '../../config/device-token.js';
import type { BootEvent } from '../../events/types.js';
import type { Html } from '../html.js';
import { html } from '../html.js';
import { phaseOf } from '../phases.js';
import { deviceUrl } from './devices.js';

export const EVENT_HEAD = html`<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Device</th><th scope="col">Kind</th><th scope="col">Phase</th><th scope="col">Detail</th></tr></thead>`;

/** What an event says, in one line: its path and size, or its state and message. */
export function detailOf(event: BootEvent): string {
  const parts: string[] = [];
  if (event.state) parts.push(event.state);
  if (event.path) parts.push(redactTokens(event.path));
  if (event.bytes !== undefined) parts.push(`${event.bytes} bytes`);
  if (event.message) parts.push(redactTokens(event.message));
  if (event.facts) parts.push(`facts: ${redactTokens(JSON.stringify(event.facts)).slice(0, 500)}`);
  return parts.join(' · ');
}

export function eventRow(event: BootEvent): Html {
  const phase = phaseOf(event);
  return html`<tr data-device="${event.device}" data-kind="${event.kind}"><td>${event.id}</td><td><time datetime="${event.time}">${event.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time></td><td><a href="${deviceUrl(event.device)}">${event.device}</a></td><td>${event.kind}</td><td>${phase ? html`<span class="badge phase-${phase}">${phase}</span>` : ''}</td><td class="detail">${detailOf(event)}</td></tr>
`;
}
