import { afterEach, describe, expect, it } from 'vitest';
import { MetalApiError } from '../../src/providers/metal/errors.js';
import { CUSTOM_ID, STOCK_ID, startSim, TOKEN } from './helpers.js';
import type { SimSetup } from './helpers.js';

let setup: SimSetup | undefined;
afterEach(async () => {
  if (setup) {
    expect(setup.sim.violations()).toEqual([]);
    await setup.sim.close();
  }
  setup = undefined;
});

describe('MetalClient against the simulator', () => {
  it('gets, lists with filters, updates and maps devices', async () => {
    setup = await startSim();
    const { provider } = setup;
    const device = await provider.getDevice(CUSTOM_ID);
    expect(device).toMatchObject({ id: CUSTOM_ID, hostname: 'web-1', state: 'active', operatingSystem: 'custom_ipxe', alwaysPxe: false, plan: 'c3.small.x86', metro: 'da' });
    expect(device.macs).toEqual(['b4:96:91:aa:bb:01', 'b4:96:91:aa:bb:02']);
    expect(device.sos).toMatch(/platformequinix\.com$/);
    expect((await provider.listDevices()).map((d) => d.hostname).sort()).toEqual(['db-1', 'web-1']);
    expect((await provider.listDevices({ hostname: 'db' })).map((d) => d.id)).toEqual([STOCK_ID]);
    expect((await provider.listDevices({ tag: 'db' })).map((d) => d.id)).toEqual([STOCK_ID]);
    expect((await provider.listDevices({ macAddress: 'b4:96:91:aa:bb:02' })).map((d) => d.id)).toEqual([CUSTOM_ID]);
    const updated = await provider.updateDevice(CUSTOM_ID, { alwaysPxe: true, ipxeScriptUrl: 'http://boot.test/ipxe/web-1' });
    expect(updated).toMatchObject({ alwaysPxe: true, ipxeScriptUrl: 'http://boot.test/ipxe/web-1' });
    expect(setup.sim.device(CUSTOM_ID)?.alwaysPxe).toBe(true);
  });

  it('pages through more than 1,000 devices with per_page 1000', async () => {
    const devices = Array.from({ length: 2_345 }, (_, i) => ({ hostname: `node-${i}` }));
    setup = await startSim({ devices });
    const all = await setup.provider.listDevices();
    expect(all).toHaveLength(2_345);
    expect(new Set(all.map((d) => d.id)).size).toBe(2_345);
    const lists = setup.sim.requests().filter((r) => r.operation === 'listDevices');
    expect(lists.map((r) => new URL(r.path, 'http://x').searchParams.get('page'))).toEqual(['1', '2', '3']);
    expect(lists.every((r) => r.path.includes('per_page=1000'))).toBe(true);
  });

  it('creates a custom_ipxe device in a metro and deletes it', async () => {
    setup = await startSim();
    const created = await setup.client.createDevice({ metro: 'da', plan: 'c3.small.x86', operating_system: 'custom_ipxe', hostname: 'new-1', ipxe_script_url: 'http://boot.test/ipxe/new-1', always_pxe: true });
    expect(created.state).toBe('queued');
    await setup.client.deleteDevice(created.id);
    expect(setup.sim.device(created.id)).toBeUndefined();
  });

  it('retries reads through a 429 storm honouring Retry-After, and 500s with backoff', async () => {
    setup = await startSim({ faults: [{ operation: 'getDevice', kind: 'status', status: 429, retryAfter: '7', times: 3 }] });
    await setup.provider.getDevice(CUSTOM_ID);
    expect(setup.sleeps).toEqual([7_000, 7_000, 7_000]);
    setup.sleeps.length = 0;
    setup.sim.addFault({ operation: 'updateDevice', kind: 'status', status: 503, times: 3 });
    await setup.provider.updateDevice(CUSTOM_ID, { alwaysPxe: true });
    // full jitter with random()=0.5 over 500, 1000, 2000 ms caps
    expect(setup.sleeps).toEqual([375, 750, 1_500]);
  });

  it('gives up after the retry budget with the status and what to do', async () => {
    setup = await startSim({ faults: [{ operation: 'getDevice', kind: 'status', status: 500 }] }, { retries: 2 });
    const error = await setup.provider.getDevice(CUSTOM_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetalApiError);
    expect((error as MetalApiError).message).toContain('HTTP 500');
    expect((error as MetalApiError).message).toContain(CUSTOM_ID);
    expect(setup.sim.requests().filter((r) => r.operation === 'getDevice')).toHaveLength(3);
  });

  it('retries a dropped connection on a read', async () => {
    setup = await startSim({ faults: [{ operation: 'getDevice', kind: 'drop', times: 2 }] });
    expect((await setup.provider.getDevice(CUSTOM_ID)).id).toBe(CUSTOM_ID);
    expect(setup.logs.filter((l) => l.includes('E_METAL_NETWORK'))).toHaveLength(2);
  });

  it('times out a slow answer', async () => {
    setup = await startSim({ faults: [{ operation: 'getDevice', kind: 'slow', delayMs: 400 }] }, { retries: 0, timeoutMs: 100 });
    const error = (await setup.provider.getDevice(CUSTOM_ID).catch((e: unknown) => e)) as MetalApiError;
    expect(error.code).toBe('E_METAL_TIMEOUT');
    expect(error.message).toContain('timed out');
  });

  it('never puts the token in errors or logs', async () => {
    setup = await startSim({ faults: [{ operation: 'getDevice', kind: 'status', status: 500 }] }, { retries: 1 });
    const error = (await setup.provider.getDevice(CUSTOM_ID).catch((e: unknown) => e)) as MetalApiError;
    expect(setup.logs.length).toBeGreaterThan(0);
    // The token goes only into the X-Auth-Token header of each request: not the URL, body, other headers or logs.
    expect(setup.requests.every((r) => (r.init.headers as Record<string, string>)['X-Auth-Token'] === TOKEN)).toBe(true);
    const requests = setup.requests.map(({ url, init }) => {
      const { 'X-Auth-Token': _token, ...headers } = init.headers as Record<string, string>;
      return { url, method: init.method, body: init.body, headers };
    });
    const text = JSON.stringify({ message: error.message, hint: error.hint, logs: setup.logs, calls: setup.calls, requests });
    expect(text).not.toContain(TOKEN);
  });
});
