/**
 * Boot events on disk: an embedded SQLite database (`<stateDir>/events.db`, better-sqlite3, WAL).
 * Writes are batched: `record()` queues the event and one transaction per event-loop turn inserts
 * the queue, then subscribers (the SSE stream) hear about each stored event with its id.
 * Retention: at most `maxEvents` events, none older than `maxAgeMs`; pruned at open and then every
 * `pruneEveryMs` (a timer that does not keep the process alive).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BootFacts, BootEvent, BootEventKind, PhoneHomeState } from './types.js';

export type NewBootEvent = Omit<BootEvent, 'id' | 'time'> & { readonly time?: string };

export interface EventQuery {
  readonly device?: string;
  /** An event id (events after it) or an ISO time (events at or after it). */
  readonly since?: number | string;
  readonly limit?: number;
}

interface Row {
  id: number;
  device: string;
  time: string;
  kind: string;
  path: string | null;
  bytes: number | null;
  client: string | null;
  state: string | null;
  message: string | null;
  facts: string | null;
}

export type EventListener = (event: BootEvent) => void;

export interface Retention {
  readonly maxEvents: number;
  readonly maxAgeMs: number;
}

export const DEFAULT_RETENTION: Retention = { maxEvents: 100_000, maxAgeMs: 30 * 86_400_000 };
const PRUNE_EVERY_MS = 10 * 60_000;

export class EventStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private pending: NewBootEvent[] = [];
  private scheduled = false;
  private readonly listeners = new Set<EventListener>();
  private readonly retention: Retention;
  private readonly now: () => number;
  private readonly pruner: NodeJS.Timeout | undefined;

  constructor(file: string, options: { retention?: Partial<Retention>; now?: () => number; pruneEveryMs?: number } = {}) {
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.now = options.now ?? Date.now;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, time TEXT NOT NULL, kind TEXT NOT NULL,
      path TEXT, bytes INTEGER, client TEXT, state TEXT, message TEXT);
      CREATE INDEX IF NOT EXISTS events_device ON events (device, id);`);
    const columns = this.db.prepare('PRAGMA table_info(events)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'facts')) this.db.exec('ALTER TABLE events ADD COLUMN facts TEXT');
    this.insert = this.db.prepare(
      'INSERT INTO events (device, time, kind, path, bytes, client, state, message, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.prune();
    const every = options.pruneEveryMs ?? PRUNE_EVERY_MS;
    this.pruner = every > 0 ? setInterval(() => this.prune(), every).unref() : undefined;
  }

  /** Drops events past the retention limits (the oldest first); returns how many went. */
  prune(): number {
    this.flush();
    const cutoff = new Date(this.now() - this.retention.maxAgeMs).toISOString();
    const old = this.db.prepare('DELETE FROM events WHERE time < ?').run(cutoff).changes;
    const last = (this.db.prepare('SELECT MAX(id) AS id FROM events').get() as { id: number | null }).id ?? 0;
    const over = this.db.prepare('DELETE FROM events WHERE id <= ?').run(last - this.retention.maxEvents).changes;
    return old + over;
  }

  /** Queues an event; it is stored (and announced) at the end of this event-loop turn. */
  record(event: NewBootEvent): void {
    this.pending.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Stores this event now (after any queued ones, keeping the order) and returns it with its id. */
  recordNow(event: NewBootEvent): BootEvent {
    this.pending.push(event);
    return this.flush().at(-1)!;
  }

  /** Stores every queued event now. */
  flush(): BootEvent[] {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return [];
    this.pending = [];
    const stored: BootEvent[] = [];
    this.db.transaction(() => {
      for (const e of batch) {
        const time = e.time ?? new Date(this.now()).toISOString();
        const info = this.insert.run(e.device, time, e.kind, e.path ?? null, e.bytes ?? null, e.client ?? null, e.state ?? null, e.message ?? null, e.facts === undefined ? null : JSON.stringify(e.facts));
        stored.push(compact({ ...e, id: Number(info.lastInsertRowid), time }));
      }
    })();
    for (const event of stored) for (const listener of this.listeners) listener(event);
    return stored;
  }

  list(query: EventQuery = {}): BootEvent[] {
    this.flush();
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.device !== undefined) {
      where.push('device = ?');
      args.push(query.device);
    }
    if (typeof query.since === 'number') {
      where.push('id > ?');
      args.push(query.since);
    } else if (typeof query.since === 'string') {
      where.push('time >= ?');
      args.push(query.since);
    }
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
    args.push(query.limit ?? 10_000);
    return (this.db.prepare(sql).all(...args) as Row[]).map(fromRow);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.pruner) clearInterval(this.pruner);
    this.flush();
    this.listeners.clear();
    this.db.close();
  }
}

function fromRow(row: Row): BootEvent {
  return compact({
    id: row.id,
    device: row.device,
    time: row.time,
    kind: row.kind as BootEventKind,
    path: row.path ?? undefined,
    bytes: row.bytes ?? undefined,
    client: row.client ?? undefined,
    state: (row.state ?? undefined) as PhoneHomeState | undefined,
    message: row.message ?? undefined,
    facts: row.facts === null ? undefined : (JSON.parse(row.facts) as BootFacts),
  });
}

/** Drops undefined fields so JSON and equality checks stay clean. */
function compact(event: BootEvent): BootEvent {
  const out: Record<string, unknown> = {};
  for (const key in event) {
    const value = (event as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as unknown as BootEvent;
}
