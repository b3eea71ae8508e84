/**
 * GET /device-data/<device>.cpio?token=…: the per-device data a RAM image's script loads as a
 * second initrd. Judged on what the server sent (the cpio it answered, read back with the
 * project's cpio reader) and what it recorded (its boot events).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchEvents } from '../../src/events/client.js';
import { listCpio } from '../../src/initrd/cpio-reader.js';
import type { DeviceData } from '../../src/devicedata/index.js';
import { DEVICE_DATA_PATH } from '../../src/devicedata/index.js';
import { READ_TOKEN, startFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  yield buffer;
}

async function deviceJson(bytes: Buffer): Promise<DeviceData> {
  const entries = await listCpio(once(bytes));
  expect(entries.map((e) => `${e.mode.toString(8)} ${e.name}`)).toEqual(['40755 etc', '40700 etc/metalboot', `100600 ${DEVICE_DATA_PATH}`]);
  return JSON.parse(entries[2]!.data.toString('utf8')) as DeviceData;
}

describe('per-device data route', () => {
  it("answers the device's own cpio: host name, bond MACs, and the report URL with its token", async () => {
    const res = await fetch(`${f.url}/device-data/web-1.cpio?token=${f.token('web-1')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const data = await deviceJson(bytes);
    expect(data).toMatchObject({ device: 'web-1', hostname: 'web-1', report: { url: `http://boot.test:8080/events/web-1?token=${f.token('web-1')}` } });
    expect(data.bond?.slaves).toEqual(['b4:96:91:aa:bb:01', 'b4:96:91:aa:bb:02']);
    expect(bytes.includes(Buffer.from(f.token('web-2')))).toBe(false);
  });

  it('gives the same bytes twice (reproducible), and HEAD the same length without a body', async () => {
    const url = `${f.url}/device-data/web-2.cpio?token=${f.token('web-2')}`;
    const a = Buffer.from(await (await fetch(url)).arrayBuffer());
    const b = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(b.equals(a)).toBe(true);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(a.length);
  });

  it("refuses with the same 404 without a token, with another device's token, for an unknown device or a wrong name", async () => {
    const cases = [
      '/device-data/web-1.cpio',
      `/device-data/web-1.cpio?token=${f.token('web-2')}`,
      `/device-data/web-1.cpio?token=${f.token('web-1').slice(0, 31)}`,
      `/device-data/web-1.cpio?token=${f.token('web-1')}&token=${f.token('web-1')}`,
      `/device-data/nobody.cpio?token=${f.token('nobody')}`,
      `/device-data/web-1?token=${f.token('web-1')}`,
      `/device-data/web-1.json?token=${f.token('web-1')}`,
      `/device-data/b4:96:91:aa:bb:01.cpio?token=${f.token('web-1')}`,
    ];
    for (const path of cases) {
      const res = await fetch(f.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toBe('not found\n');
    }
  });

  it('records each GET as a device-data event of that device (token not in the path), refusals and HEADs not', async () => {
    const before = (await fetchEvents(f.url, 'web-1', { token: READ_TOKEN })).filter((e) => e.kind === 'device-data').length;
    await (await fetch(`${f.url}/device-data/web-1.cpio?token=${f.token('web-1')}`)).arrayBuffer();
    await (await fetch(`${f.url}/device-data/web-1.cpio?token=${f.token('web-1')}`, { method: 'HEAD' })).arrayBuffer();
    await (await fetch(`${f.url}/device-data/web-1.cpio?token=${f.token('web-2')}`)).arrayBuffer();
    const events = (await fetchEvents(f.url, 'web-1', { token: READ_TOKEN })).filter((e) => e.kind === 'device-data');
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ device: 'web-1', path: '/device-data/web-1.cpio', client: '127.0.0.1' });
    expect(events.at(-1)!.bytes).toBeGreaterThan(512);
  });
});
