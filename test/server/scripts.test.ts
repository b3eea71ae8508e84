import { createServer } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { renderChainScript, renderDeviceScript, renderLocalDiskScript } from '../../src/ipxe/index.js';
import { manifestFile, readManifest } from '../../src/image/store.js';
import { createApp } from '../../src/server/app.js';
import { EventStore } from '../../src/events/store.js';
import { BootStore } from '../../src/boots/store.js';
import { configText, SECRET, startFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

describe('iPXE scripts', () => {
  it('serves the shared chain script at /boot.ipxe', async () => {
    const res = await fetch(`${f.url}/boot.ipxe`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(renderChainScript('http://boot.test:8080'));
  });

  it("serves a device's own script by name, any MAC spelling and SMBIOS UUID", async () => {
    const expected = renderDeviceScript({
      device: f.config.devices['web-1']!,
      image: f.config.images.deb!,
      manifest: await readManifest(f.stateDir, 'deb'),
      baseUrl: 'http://boot.test:8080',
      token: f.token('web-1'),
    });
    // by name with the boot's token (the URL the provider is given): exactly that token
    const byName = await fetch(`${f.url}/ipxe/web-1?token=${f.token('web-1')}`);
    expect(byName.status).toBe(200);
    expect(byName.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await byName.text()).toBe(expected);
    expect(expected).toContain(`/assets/${f.kernel.sha256}/linux`);
    // by name, MAC or UUID without one (/boot.ipxe chains by MAC): the same script with a token minted for this address
    for (const key of ['web-1', 'b4:96:91:aa:bb:02', 'B4-96-91-AA-BB-01', 'b49691aabb01', '4c4c4544-0042-3510-8051-b4c04f4b4e32']) {
      const res = await fetch(`${f.url}/ipxe/${encodeURIComponent(key)}`);
      expect(res.status, key).toBe(200);
      const text = await res.text();
      const minted = /token=([0-9a-f]{64})/.exec(text)?.[1];
      expect(minted, key).toBeDefined();
      expect(minted).not.toBe(f.token('web-1'));
      expect(text).toBe(expected.split(f.token('web-1')).join(minted!));
    }
  });

  it('answers an unknown device with 404 and logs the MAC that asked', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
    const events = new EventStore(':memory:');
    const { handler } = createApp({ config: f.config, secret: SECRET, events, boots: new BootStore(':memory:'), logger: pino(sink) });
    const server = createServer(handler).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/ipxe/02-00-00-00-00-99`);
    expect(res.status).toBe(404);
    await new Promise((r) => setTimeout(r, 50));
    server.close();
    events.close();
    const warning = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'an unknown device asked for its script');
    expect(warning?.asked).toBe('02-00-00-00-00-99');
  });
});

describe('a device whose image is not built', () => {
  it('gets 503 and the log names the image', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
    const config = parseConfig(
      `${configText(f.stateDir)}  nb-1:\n    image: unbuilt\n`.replace('images:\n', 'images:\n  unbuilt: { type: files, kernel: /srv/k, initrd: /srv/i }\n'),
      join(f.dir, 'other.yaml'),
    );
    const events = new EventStore(':memory:');
    const boots = new BootStore(':memory:');
    boots.arm('nb-1');
    const { handler } = createApp({ config, secret: SECRET, events, boots, logger: pino(sink) });
    const server = createServer(handler).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/ipxe/nb-1`);
    server.close();
    events.close();
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('image unbuilt of device nb-1 has not been built\n');
    expect(lines.join('')).toContain('image not built');
  });
});

describe('per-device installer answers', () => {
  it("refuses a preseed without a token, with another device's token, or for an unknown device", async () => {
    const cases = [
      '/preseed/web-1.cfg',
      `/preseed/web-1.cfg?token=${f.token('web-2')}`,
      `/preseed/web-1.cfg?token=${f.token('web-1').slice(0, 63)}`,
      `/preseed/web-1.cfg?token=${f.token('web-1')}&token=${f.token('web-1')}`,
      `/preseed/nobody.cfg?token=${f.token('nobody')}`,
      `/preseed/web-1?token=${f.token('web-1')}`,
      `/kickstart/web-1.ks?token=${f.token('web-2')}`,
      `/preseed/b4:96:91:aa:bb:01.cfg?token=${f.token('web-1')}`,
    ];
    for (const path of cases) {
      const res = await fetch(f.url + path);
      expect(res.status, path).toBe(404);
    }
  });

  it("renders a device's preseed and kickstart with its own token: hostname, bond MACs, phone-home URL", async () => {
    for (const path of [`/preseed/web-1.cfg?token=${f.token('web-1')}`, `/kickstart/web-1.ks?token=${f.token('web-1')}`]) {
      const res = await fetch(f.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const text = await res.text();
      expect(text, path).toContain('web-1');
      expect(text, path).toContain('b4:96:91:aa:bb:02');
      expect(text, path).toContain(`/events/web-1?token=${f.token('web-1')}`);
      expect(text, path).not.toContain(f.token('web-2'));
    }
  });
});

describe('a device whose boot reported "installed"', () => {
  it('gets the local-disk script in place of its own, by name and by MAC, until it is armed again', async () => {
    const token = f.token('web-2');
    const own = await (await fetch(`${f.url}/ipxe/web-2?token=${token}`)).text();
    expect(own).toContain(`/assets/${f.kernel.sha256}/linux`);
    const report = await fetch(`${f.url}/events/web-2?token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"state":"installed"}' });
    expect(report.status).toBe(201);
    for (const path of [`/ipxe/web-2?token=${token}`, '/ipxe/b4-96-91-aa-bb-03']) {
      const res = await fetch(f.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(await res.text(), path).toBe(renderLocalDiskScript('web-2'));
    }
    const events = f.server.context.events.list({ device: 'web-2' }).filter((e) => e.kind === 'script');
    expect(events.at(-1)).toMatchObject({ path: '/ipxe/b4-96-91-aa-bb-03', message: 'installed: sent to its local disk' });
    // another device's boot is untouched
    expect(await (await fetch(`${f.url}/ipxe/web-1?token=${f.token('web-1')}`)).text()).toContain('/assets/');
    // a new re-image arms a new boot: the installer again
    const again = f.server.context.boots.arm('web-2').token;
    expect(await (await fetch(`${f.url}/ipxe/web-2?token=${again}`)).text()).toBe(own.split(token).join(again));
  });
});

describe('a device whose manifest is corrupt', () => {
  it('gets 500, not 503 "not built"', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
    const stateDir = join(f.dir, 'corrupt-state');
    await mkdir(join(stateDir, 'images'), { recursive: true });
    await writeFile(manifestFile(stateDir, 'deb'), '{ not json');
    const config = parseConfig(configText(stateDir), join(f.dir, 'corrupt.yaml'));
    const events = new EventStore(':memory:');
    const boots = new BootStore(':memory:');
    boots.arm('web-1');
    const { handler } = createApp({ config, secret: SECRET, events, boots, logger: pino(sink) });
    const server = createServer(handler).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/ipxe/web-1`);
    server.close();
    events.close();
    expect(res.status).toBe(500);
    expect(lines.join('')).not.toContain('image not built');
    expect(lines.join('')).toContain('manifest is not JSON');
  });
});
