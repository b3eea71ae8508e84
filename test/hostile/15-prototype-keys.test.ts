/**
 * Issue 11, finding 15: `/ipxe/__proto__`, `constructor`, `toString` answered 503 "image undefined
 * of device Object" (a plain-object lookup keyed by the request). Device lookups go through a Map:
 * every such name is an unknown device, 404. Fails on main: /ipxe/__proto__ → 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDevice } from '../../src/config/lookup.js';
import { READ_TOKEN, startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';
import { requestFrom } from './helpers.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];

describe('Object.prototype names', () => {
  it('are unknown devices: 404 for scripts, answers and phone-home', async () => {
    for (const name of NAMES) {
      for (const path of [`/ipxe/${name}`, `/preseed/${name}.cfg?token=x`, `/kickstart/${name}.ks?token=x`]) {
        expect(await requestFrom(f.url + path), path).toEqual({ status: 404, body: 'not found\n' });
      }
      expect((await requestFrom(`${f.url}/events/${name}?token=x`, { method: 'POST', body: '{"state":"running"}' })).status).toBe(404);
      const events = await requestFrom(`${f.url}/api/devices/${name}/events`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
      expect(events).toEqual({ status: 200, body: '[]' });
      expect(findDevice(f.config, name)).toBeUndefined();
    }
  });
});
