import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/events/store.js';
import type { BootEvent } from '../../src/events/types.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('EventStore', () => {
  it('stores batched events in order, announces each once with its id, and filters', async () => {
    const store = new EventStore(':memory:');
    const heard: BootEvent[] = [];
    store.subscribe((e) => heard.push(e));
    store.record({ device: 'a', kind: 'script', time: '2026-01-01T00:00:00.000Z', client: '10.0.0.1' });
    store.record({ device: 'b', kind: 'kernel', bytes: 5, time: '2026-01-01T00:00:01.000Z' });
    store.record({ device: 'a', kind: 'phone-home', state: 'succeeded', message: 'ok', time: '2026-01-01T00:00:02.000Z' });
    expect(heard).toEqual([]); // queued until the end of this turn
    await new Promise((r) => setImmediate(r));
    expect(heard.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(store.list({ device: 'a' })).toEqual([
      { id: 1, device: 'a', kind: 'script', time: '2026-01-01T00:00:00.000Z', client: '10.0.0.1' },
      { id: 3, device: 'a', kind: 'phone-home', state: 'succeeded', message: 'ok', time: '2026-01-01T00:00:02.000Z' },
    ]);
    expect(store.list({ since: 1 }).map((e) => e.id)).toEqual([2, 3]);
    expect(store.list({ since: '2026-01-01T00:00:01.000Z' }).map((e) => e.id)).toEqual([2, 3]);
    store.close();
  });

  it('recordNow stores queued events first and returns its own event, not another pending one', () => {
    const store = new EventStore(':memory:');
    store.record({ device: 'a', kind: 'script' });
    const own = store.recordNow({ device: 'b', kind: 'phone-home', state: 'running' });
    expect(own).toMatchObject({ id: 2, device: 'b', kind: 'phone-home', state: 'running' });
    expect(store.list().map((e) => [e.id, e.device])).toEqual([[1, 'a'], [2, 'b']]);
    store.close();
  });

  it('keeps events in the database file across reopenings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metalboot-events-'));
    dirs.push(dir);
    const file = join(dir, 'state', 'events.db');
    const first = new EventStore(file);
    first.record({ device: 'a', kind: 'initrd', bytes: 42 });
    first.close();
    const second = new EventStore(file);
    expect(second.list().map((e) => [e.device, e.kind, e.bytes])).toEqual([['a', 'initrd', 42]]);
    second.record({ device: 'a', kind: 'script' });
    expect(second.list().map((e) => e.id)).toEqual([1, 2]);
    second.close();
  });
});
