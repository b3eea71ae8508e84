/**
 * The script URLs answer the Debian installer (User-Agent "debian-installer", what its fetch-url
 * sends) with an empty preseed that debconf accepts, and everyone else with the script.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_PRESEED } from '../../src/server/installer-probe.js';
import { startFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const get = (path: string, agent?: string): Promise<Response> => fetch(`${f.url}${path}`, { headers: agent === undefined ? {} : { 'user-agent': agent } });

describe('the Debian installer fetching a script URL as its DHCP preseed', () => {
  it('gets the empty preseed on /ipxe/<key> and /boot.ipxe, the same bytes for any key', async () => {
    for (const path of ['/ipxe/web-1', '/ipxe/b4:96:91:aa:bb:01', '/ipxe/no-such-device', '/boot.ipxe']) {
      const res = await get(path, 'debian-installer');
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.text();
      expect(body, path).toBe(EMPTY_PRESEED);
      expect(body).not.toMatch(/token|#!ipxe|web-1/);
    }
    expect(f.server.context.events.list({ device: 'web-1' }).filter((e) => e.kind === 'script')).toEqual([]);
  });

  it('iPXE, curl, wget, no agent and look-alikes get the script as before', async () => {
    for (const agent of ['iPXE/1.21.1+ (g4bd064de)', 'curl/7.88.1', 'Wget/1.21.3', undefined, 'debian-installerX', 'x debian-installer']) {
      const res = await get('/ipxe/web-1', agent);
      expect(res.status, String(agent)).toBe(200);
      expect(await res.text(), String(agent)).toMatch(/^#!ipxe/);
    }
    expect(await (await get('/boot.ipxe', 'curl/7.88.1')).text()).toMatch(/^#!ipxe/);
    expect((await get('/ipxe/no-such-device', 'curl/7.88.1')).status).toBe(404);
  });

  it('the empty preseed passes debconf-set-selections --checkonly (a broken one would not)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metalboot-probe-'));
    try {
      await writeFile(join(dir, 'empty.cfg'), EMPTY_PRESEED);
      await writeFile(join(dir, 'script.cfg'), await (await get('/ipxe/web-1', 'curl/7.88.1')).text());
      expect((await execa('debconf-set-selections', ['--checkonly', join(dir, 'empty.cfg')], { reject: false })).exitCode).toBe(0);
      // what d-i got before: the iPXE script, which debconf refuses (the installer's "Failed to process")
      expect((await execa('debconf-set-selections', ['--checkonly', join(dir, 'script.cfg')], { reject: false })).exitCode).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
