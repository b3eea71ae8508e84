/**
 * Each device's current status, kept in memory for the devices page: built once from the stored
 * events (read in pages), then updated by the store's subscription. One per server context.
 */
import type { EventStore } from '../events/store.js';
import type { BootEvent } from '../events/types.js';
import type { DeviceStatus } from './phases.js';
import { nextStatus } from './phases.js';

const PAGE = 10_000;

export class DeviceIndex {
  private readonly status = new Map<string, DeviceStatus>();
  private readonly unsubscribe: () => void;
  /** The highest event id seen. */
  lastId = 0;

  constructor(events: EventStore) {
    let since = 0;
    for (;;) {
      const page = events.list({ since, limit: PAGE });
      for (const event of page) this.apply(event);
      if (page.length < PAGE) break;
      since = page.at(-1)!.id;
    }
    this.unsubscribe = events.subscribe((event) => this.apply(event));
  }

  get(device: string): DeviceStatus | undefined {
    return this.status.get(device);
  }

  /** The status after this event (what the live stream sends with it). */
  apply(event: BootEvent): DeviceStatus | undefined {
    this.lastId = Math.max(this.lastId, event.id);
    const before = this.status.get(event.device);
    if (before && before.eventId >= event.id) return before;
    const after = nextStatus(before, event);
    if (after) this.status.set(event.device, after);
    return after;
  }

  close(): void {
    this.unsubscribe();
  }
}

const indexes = new WeakMap<EventStore, DeviceIndex>();

/** The index of this event store, built on first use. */
export function deviceIndex(events: EventStore): DeviceIndex {
  let index = indexes.get(events);
  if (!index) indexes.set(events, (index = new DeviceIndex(events)));
  return index;
}
