import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchEvents, followEvents } from '../../src/events/client.js';
import type { BootEvent } from '../../src/events/types.js';
import { READ_TOKEN, startFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

async function boot(device: string): Promise<void> {
  await (await fetch(`${f.url}/ipxe/${device}`)).text();
  await (await fetch(`${f.url}/assets/${f.kernel.sha256}/linux`)).arrayBuffer();
  await (await fetch(`${f.url}/assets/${f.initrd.sha256}/initrd.gz`)).arrayBuffer();
}

describe('boot events', () => {
  it('records script, kernel and initrd fetches for the device, with bytes and client', async () => {
    await boot('web-2');
    await (await fetch(`${f.url}/preseed/web-2.cfg?token=${f.token('web-2')}`)).text();
    await (await fetch(`${f.url}/kickstart/web-2.ks?token=${f.token('web-2')}`)).text();
    await (await fetch(`${f.url}/preseed/web-2.cfg?token=${f.token('web-1')}`)).text(); // refused: not recorded
    await (await fetch(`${f.url}/assets/${f.kernel.sha256}/linux`, { method: 'HEAD' })).text(); // no body: not recorded
    const events = await fetchEvents(f.url, 'web-2', { token: READ_TOKEN });
    expect(events.map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd', 'preseed', 'kickstart']);
    expect(events[3]).toMatchObject({ path: '/preseed/web-2.cfg', client: '127.0.0.1' });
    expect(events[1]).toMatchObject({ device: 'web-2', bytes: f.kernel.size, client: '127.0.0.1', path: `/assets/${f.kernel.sha256}/linux` });
    expect(events[2]!.bytes).toBe(f.initrd.size);
    expect(Date.parse(events[0]!.time)).not.toBeNaN();
  });

  it('takes phone-homes only with the device token, and validates the state', async () => {
    const url = (device: string, token: string): string => `${f.url}/events/${device}?token=${token}`;
    expect((await fetch(url('web-2', f.token('web-1')), { method: 'POST', body: '{"state":"running"}' })).status).toBe(404);
    expect((await fetch(url('web-2', f.token('web-2')), { method: 'POST', body: '{"state":"bogus"}' })).status).toBe(422);
    const ok = await fetch(url('web-2', f.token('web-2')), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"state":"succeeded","message":"installed"}' });
    expect(ok.status).toBe(201);
    const form = await fetch(url('web-2', f.token('web-2')), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=running&message=late' });
    expect(form.status).toBe(201);
    const events = await fetchEvents(f.url, 'web-2', { token: READ_TOKEN });
    expect(events.filter((e) => e.kind === 'phone-home').map((e) => [e.state, e.message])).toEqual([
      ['succeeded', 'installed'],
      ['running', 'late'],
    ]);
  });

  it('streams new events to followers and replays after `since`', async () => {
    const before = await fetchEvents(f.url, 'web-1', { token: READ_TOKEN });
    const lastId = Math.max(0, ...(await fetchEvents(f.url, 'web-2', { token: READ_TOKEN })).map((e) => e.id));
    const seen: BootEvent[] = [];
    const controller = new AbortController();
    const done = followEvents(f.url, { device: 'web-1', since: lastId, signal: controller.signal, token: READ_TOKEN }, (e) => {
      seen.push(e);
      if (seen.length === 3) controller.abort();
    });
    await new Promise((r) => setTimeout(r, 100));
    await boot('web-2'); // another device: not followed
    await boot('web-1');
    await done;
    expect(before).toEqual([]);
    expect(seen.map((e) => [e.device, e.kind])).toEqual([
      ['web-1', 'script'],
      ['web-1', 'kernel'],
      ['web-1', 'initrd'],
    ]);
  });

  it('keeps the history across a restart', async () => {
    const before = await fetchEvents(f.url, 'web-2', { token: READ_TOKEN });
    expect(before.length).toBeGreaterThan(5);
    f = await f.restart();
    const after = await fetchEvents(f.url, 'web-2', { token: READ_TOKEN });
    expect(after).toEqual(before);
    // asset attribution is per client address and restarts clean: an asset fetched first is unknown
    await (await fetch(`${f.url}/assets/${f.kernel.sha256}/linux`)).arrayBuffer();
    const unknown = await fetchEvents(f.url, '(unknown)', { token: READ_TOKEN });
    expect(unknown.at(-1)?.kind).toBe('asset');
  });

  it('keeps a booted report\'s facts, and refuses facts that are not a small object', async () => {
    const url = `${f.url}/events/web-1?token=${f.token('web-1')}`;
    const post = (body: unknown): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const facts = { cmdline: 'console=ttyS1,115200n8', bond0: { mode: '802.3ad', slaves: ['52:54:00:00:00:01'] } };
    expect((await post({ state: 'booted', facts: ['not', 'an', 'object'] })).status).toBe(422);
    expect((await post({ state: 'booted', facts: { big: 'x'.repeat(9000) } })).status).toBe(422);
    expect((await post({ state: 'booted', message: 'up', facts })).status).toBe(201);
    // the booted report ended the boot: its token no longer works
    expect((await post({ state: 'booted', message: 'again' })).status).toBe(404);
    const booted = (await fetchEvents(f.url, 'web-1', { token: READ_TOKEN })).filter((e) => e.state === 'booted');
    expect(booted).toHaveLength(1);
    expect(booted[0]!.facts).toEqual(facts);
  });
});
