/**
 * A boot's `installed` mark (src/boots/store.ts): set once by the first report, kept across a new
 * process (it is on disk), cleared by the next arm, and added to a boots.db written before it existed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootStore } from '../../src/boots/store.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mb-boots-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('an armed boot\'s installed mark', () => {
  it('is set by the first report only, survives a reopen, and a new arm clears it', () => {
    let now = 1_000;
    const file = join(dir, 'boots.db');
    const store = new BootStore(file, { now: () => now });
    expect(store.markInstalled('web-1')).toBe(false); // not armed: nothing to mark
    store.arm('web-1');
    expect(store.current('web-1')?.installedAt).toBeUndefined();
    now = 2_000;
    expect(store.markInstalled('web-1')).toBe(true);
    now = 3_000;
    store.markInstalled('web-1');
    expect(store.current('web-1')?.installedAt).toBe(2_000);
    store.close();
    const again = new BootStore(file, { now: () => now });
    expect(again.list()).toEqual([expect.objectContaining({ device: 'web-1', installedAt: 2_000 })]);
    again.arm('web-1');
    expect(again.current('web-1')?.installedAt).toBeUndefined();
    again.close();
  });

  it('a boots.db from before the mark gains the column and keeps its boots', () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE boots (device TEXT PRIMARY KEY, armed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE boot_tokens (hash TEXT PRIMARY KEY, device TEXT NOT NULL, client TEXT);`);
    old.prepare('INSERT INTO boots VALUES (?, ?, ?)').run('web-2', 10, 10_000);
    old.close();
    const store = new BootStore(file, { now: () => 20 });
    expect(store.current('web-2')).toEqual({ device: 'web-2', armedAt: 10, expiresAt: 10_000 });
    expect(store.markInstalled('web-2')).toBe(true);
    expect(store.current('web-2')?.installedAt).toBe(20);
    store.close();
  });
});
