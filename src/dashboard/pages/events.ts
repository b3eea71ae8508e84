/** The events page: the latest boot events, newest first, filterable by device and kind; new ones arrive live. */
import type { BootEvent, BootEventKind } from '../../events/types.js';
import type { Html } from '../html.js';
import { html } from '../html.js';
import { EVENT_HEAD, eventRow } from './event-rows.js';

export const EVENT_KINDS: readonly BootEventKind[] = ['script', 'kernel', 'initrd', 'asset', 'preseed', 'kickstart', 'phone-home'];

export interface EventFilter {
  readonly device?: string;
  readonly kind?: string;
}

export function eventsPage(events: readonly BootEvent[], filter: EventFilter): Html {
  const kinds = EVENT_KINDS.map((kind) => html`<option value="${kind}"${filter.kind === kind ? html` selected` : ''}>${kind}</option>`);
  return html`<h1>Events</h1>
<form method="get" action="/ui/events" class="filters" role="search" aria-label="Filter events">
<label>Device <input type="search" name="device" value="${filter.device ?? ''}" data-filter="device" autocomplete="off"></label>
<label>Kind <select name="kind" data-filter="kind"><option value="">any</option>${kinds}</select></label>
<button type="submit">Filter</button>
</form>
<table class="data events" id="events">
<caption>Boot events, newest first (live)</caption>
${EVENT_HEAD}
<tbody>
${events.map(eventRow)}</tbody>
</table>
`;
}
