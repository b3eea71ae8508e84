/**
 * Event-stream replays share the event loop fairly: one scheduler per server sends at most
 * REPLAY_BUDGET stored events per event-loop turn, over all streams replaying, round-robin, and
 * skips a stream whose client has not drained what it was sent (it rejoins on 'drain'). So a
 * thousand replays of a long history cost other requests one page at a time, never the whole of it.
 */
import type { ServerResponse } from 'node:http';
import type { EventQuery, EventStore } from '../events/store.js';
import type { BootEvent } from '../events/types.js';

/** Stored events written per event-loop turn, over all replays. */
export const REPLAY_BUDGET = 500;

export interface ReplayJob {
  readonly res: ServerResponse;
  readonly device: string | undefined;
  since: number | string;
  readonly send: (event: BootEvent) => void;
  readonly done: () => void;
}

export class ReplayScheduler {
  private readonly queue: ReplayJob[] = [];
  private scheduled = false;

  constructor(private readonly events: EventStore, private readonly budget = REPLAY_BUDGET) {}

  add(job: ReplayJob): void {
    this.queue.push(job);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    let left = this.budget;
    while (left > 0 && this.queue.length > 0) {
      const job = this.queue.shift()!;
      if (job.res.destroyed || job.res.writableEnded) continue;
      const query: EventQuery = { device: job.device, since: job.since, limit: Math.min(left, this.budget) };
      const page = this.events.list(query);
      for (const event of page) job.send(event);
      left -= Math.max(1, page.length);
      if (page.length < query.limit!) {
        job.done();
        continue;
      }
      job.since = page.at(-1)!.id;
      if (job.res.writableNeedDrain) job.res.once('drain', () => this.add(job));
      else this.queue.push(job);
    }
    this.schedule();
  }
}
