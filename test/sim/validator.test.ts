import { afterEach, describe, expect, it } from 'vitest';
import { createMetalSimulator } from '../../src/sim/metal/index.js';
import type { MetalSimulator } from '../../src/sim/metal/index.js';

const ID = '6f9d0c1e-1111-4a2b-9c3d-000000000001';
let sim: MetalSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(): Promise<string> {
  sim = createMetalSimulator({ token: 't', devices: [{ id: ID, hostname: 'web-1' }] });
  return (await sim.listen()).apiUrl;
}

const send = (url: string, method: string, body?: unknown) =>
  fetch(url, { method, headers: { 'X-Auth-Token': 't', 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe('the simulator validates every request against the official spec (proves it is live)', () => {
  it('catches an action type the spec does not have', async () => {
    const api = await start();
    const response = await send(`${api}/devices/${ID}/actions`, 'POST', { type: 'restart' });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { errors: string[] };
    expect(body.errors[0]).toContain('performAction: request body.type must be equal to one of the allowed values (power_on, power_off, reboot, rescue, reinstall)');
    expect(sim!.violations()).toHaveLength(1);
    expect(sim!.world.applied).toHaveLength(0);
  });

  it('catches a string where the spec wants a boolean, and a camelCase field the API would ignore', async () => {
    const api = await start();
    await send(`${api}/devices/${ID}`, 'PUT', { always_pxe: 'true', ipxeScriptUrl: 'http://x' });
    expect(sim!.violations().join('\n')).toContain('updateDevice: request body.always_pxe must be boolean');
    expect(sim!.violations().join('\n')).toContain('request body field "ipxeScriptUrl" is not in the spec');
    expect(sim!.device(ID)?.alwaysPxe).toBe(false);
  });

  it('catches per_page above 1000, a misspelt filter and a non-UUID device id', async () => {
    const api = await start();
    await send(`${api}/projects/${sim!.projectId}/devices?per_page=5000&macAddress=aa`, 'GET');
    await send(`${api}/devices/web-1`, 'GET');
    const text = sim!.violations().join('\n');
    expect(text).toContain('findProjectDevices: query parameter per_page must be <= 1000');
    expect(text).toContain('"macAddress" is not a query parameter of this operation');
    expect(text).toContain('findDeviceById: path parameter id must match format "uuid"');
  });

  it('catches a missing request body and a call to an endpoint it does not implement', async () => {
    const api = await start();
    await send(`${api}/devices/${ID}/actions`, 'POST');
    await send(`${api}/devices/${ID}/rescue`, 'POST', {});
    const text = sim!.violations().join('\n');
    expect(text).toContain('performAction: the request body is required');
    expect(text).toContain('not an endpoint metalboot should call');
  });

  it('answers 401 without a token, and that answer is itself spec-valid', async () => {
    const api = await start();
    const response = await fetch(`${api}/devices/${ID}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Invalid authentication token' });
    expect(sim!.violations()).toEqual([]);
  });
});

describe('the simulator validates its own responses', () => {
  it('a device in a state the spec does not know is a violation, answered as 500', async () => {
    sim = createMetalSimulator({ token: 't', devices: [{ id: ID, hostname: 'web-1', state: 'rebooting' as never }] });
    const { apiUrl } = await sim.listen();
    const response = await send(`${apiUrl}/devices/${ID}`, 'GET');
    expect(response.status).toBe(500);
    expect(sim.violations().join('\n')).toContain('findDeviceById: response 200 body.state must be equal to one of the allowed values');
  });
});
