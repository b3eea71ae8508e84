/**
 * Issue 11, finding 1: any client read any device's answers (the token sat in the unauthenticated
 * script, derived from the device name). Now answers need an armed boot with a token minted for it;
 * a script fetched without one binds its token to the fetching address; unarmed and unknown devices
 * get the same 404; a `booted` report ends the boot. Fails on main: /ipxe/web-1 answers 200 with a
 * token for an unarmed device, and that token reads the preseed from any address.
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootStore, bootsFile } from '../../src/boots/store.js';
import { startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';
import { requestFrom, tokenIn } from './helpers.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ arm: false });
});
afterAll(() => f.close());

const MAC = 'b4:96:91:aa:bb:01';

describe('a device that is not armed', () => {
  it('gets the same 404 as a device that does not exist, for its script and its answers', async () => {
    const unknown = await requestFrom(`${f.url}/ipxe/02-00-00-00-00-99`);
    for (const path of [`/ipxe/web-1`, `/ipxe/${MAC}`, '/preseed/web-1.cfg?token=' + 'a'.repeat(64), '/preseed/nobody.cfg?token=x']) {
      const answer = await requestFrom(f.url + path);
      expect(answer, path).toEqual(unknown);
    }
    expect(unknown).toEqual({ status: 404, body: 'not found\n' });
    const post = await requestFrom(`${f.url}/events/web-1?token=${'a'.repeat(64)}`, { method: 'POST', body: '{"state":"succeeded"}' });
    expect(post.status).toBe(404);
  });
});

describe('an armed boot', () => {
  it("binds a script fetched by MAC to the fetching address: another address cannot use its token", async () => {
    f.server.context.boots.arm('web-1');
    const script = await requestFrom(`${f.url}/ipxe/${MAC}`, { localAddress: '127.0.0.1' });
    expect(script.status).toBe(200);
    const token = tokenIn(script.body)!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect((await requestFrom(`${f.url}/preseed/web-1.cfg?token=${token}`, { localAddress: '127.0.0.1' })).status).toBe(200);
    // the attack of the issue, from another client: same 404 as for nothing at all
    expect(await requestFrom(`${f.url}/preseed/web-1.cfg?token=${token}`, { localAddress: '127.0.0.2' })).toEqual({ status: 404, body: 'not found\n' });
    const forged = await requestFrom(`${f.url}/events/web-1?token=${token}`, { localAddress: '127.0.0.2', method: 'POST', body: '{"state":"succeeded"}' });
    expect(forged.status).toBe(404);
    // and it is web-1's token only
    f.server.context.boots.arm('web-2');
    expect((await requestFrom(`${f.url}/preseed/web-2.cfg?token=${token}`, { localAddress: '127.0.0.1' })).status).toBe(404);
  });

  it('mints a new random token per boot (never derived from the name); re-arming retires the old one', async () => {
    const first = f.server.context.boots.arm('web-1').token;
    const second = f.server.context.boots.arm('web-1').token;
    expect(first).not.toBe(second);
    expect((await requestFrom(`${f.url}/preseed/web-1.cfg?token=${first}`, { localAddress: '127.0.0.2' })).status).toBe(404);
    // the provider's URL token works from any address (the device's address is not known in advance)
    expect((await requestFrom(`${f.url}/preseed/web-1.cfg?token=${second}`, { localAddress: '127.0.0.2' })).status).toBe(200);
    const script = await requestFrom(`${f.url}/ipxe/web-1?token=${second}`, { localAddress: '127.0.0.2' });
    expect(tokenIn(script.body)).toBe(second);
  });

  it('ends at the booted report: the token stops working', async () => {
    const { token } = f.server.context.boots.arm('web-2');
    const events = `${f.url}/events/web-2?token=${token}`;
    expect((await requestFrom(events, { method: 'POST', body: '{"state":"installed"}' })).status).toBe(201);
    expect((await requestFrom(events, { method: 'POST', body: '{"state":"booted","facts":{"kernel":"6.1"}}' })).status).toBe(201);
    expect((await requestFrom(`${f.url}/preseed/web-2.cfg?token=${token}`)).status).toBe(404);
    expect((await requestFrom(events, { method: 'POST', body: '{"state":"succeeded"}' })).status).toBe(404);
    expect((await requestFrom(`${f.url}/ipxe/web-2`)).status).toBe(404);
  });

  it('ends at the end of its window, and the store on disk is private (0600) and holds no token', async () => {
    let now = 1_000_000;
    const file = bootsFile(`${f.dir}/window-state`);
    const store = new BootStore(file, { now: () => now });
    const { token } = store.arm('web-1', 60_000);
    expect(store.authorize('web-1', token, '10.0.0.1')).toBeDefined();
    now += 60_001;
    expect(store.authorize('web-1', token, '10.0.0.1')).toBeUndefined();
    expect(store.mintBound('web-1', '10.0.0.1')).toBeUndefined();
    store.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file).includes(Buffer.from(token))).toBe(false);
  });

  it('keeps the boot when fetches from other addresses pile up: the oldest bound token goes, not the newest', () => {
    const store = new BootStore(':memory:');
    store.arm('web-1');
    const tokens = Array.from({ length: 40 }, (_, i) => store.mintBound('web-1', `10.0.0.${i}`)!);
    expect(store.authorize('web-1', tokens[39], '10.0.0.39')).toBeDefined();
    expect(store.authorize('web-1', tokens[0], '10.0.0.0')).toBeUndefined();
    store.close();
  });
});

describe('a RAM image that always PXE-boots', () => {
  it('boots unarmed, with no answer URL in its script; armed, its script carries the boot token', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const pino = (await import('pino')).default;
    const { parseConfig } = await import('../../src/config/load.js');
    const { writeManifest } = await import('../../src/image/store.js');
    const { startServer } = await import('../../src/server/start.js');
    const dir = await mkdtemp(join(tmpdir(), 'mb-hostile-ram-'));
    const stateDir = join(dir, 'state');
    const config = parseConfig(
      `server:\n  listen: 127.0.0.1:0\n  public_url: http://boot.test:8080\n  state_dir: ${stateDir}\nimages:\n  ram:\n    type: rootfs\n    suite: bookworm\n    mirror: http://deb.debian.org/debian\ndevices:\n  ram-1:\n    image: ram\n    macs: ["b4:96:91:aa:bb:09"]\n`,
      join(dir, 'metalboot.yaml'),
    );
    await writeManifest(stateDir, {
      schema: 1, name: 'ram', type: 'rootfs', installer: false,
      variants: { x86_64: { arch: 'x86_64', kernel: f.kernel, initrd: f.initrd, compression: 'gzip', cmdline: ['boot=ram', 'metalboot.events={{events_url}}', 'metalboot.token={{token}}'] } },
    });
    const server = await startServer({ config, secret: 's', logger: pino({ level: 'silent' }), listen: { host: '127.0.0.1', port: 0 }, bootsFile: ':memory:' });
    try {
      const unarmed = await requestFrom(`${server.url}/ipxe/b4-96-91-aa-bb-09`);
      expect(unarmed.status).toBe(200);
      expect(unarmed.body).toContain('boot=ram');
      expect(unarmed.body).not.toContain('token');
      expect(unarmed.body).not.toContain('/events/');
      const { token } = server.context.boots.arm('ram-1');
      const armed = await requestFrom(`${server.url}/ipxe/ram-1?token=${token}`);
      expect(armed.body).toContain(`metalboot.events=http://boot.test:8080/events/ram-1?token=${token}`);
    } finally {
      await server.close(500);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
