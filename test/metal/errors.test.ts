import { afterEach, describe, expect, it } from 'vitest';
import { MetalClient } from '../../src/providers/metal/client.js';
import { MetalProvider } from '../../src/providers/metal/provider.js';
import { MetalApiError } from '../../src/providers/metal/errors.js';
import { CUSTOM_ID, startSim, TOKEN } from './helpers.js';
import type { SimSetup } from './helpers.js';

let setup: SimSetup | undefined;
afterEach(async () => {
  if (setup) await setup.sim.close();
  setup = undefined;
});

async function failure(promise: Promise<unknown>): Promise<MetalApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(MetalApiError);
  return error as MetalApiError;
}

describe('API errors say what to do', () => {
  it('401 names METAL_AUTH_TOKEN and never the token', async () => {
    setup = await startSim();
    const wrong = new MetalProvider(new MetalClient({ token: 'wrong-token-123', apiUrl: setup.apiUrl, projectId: setup.sim.projectId }));
    const error = await failure(wrong.getDevice(CUSTOM_ID));
    expect(error.status).toBe(401);
    expect(error.message).toBe(`Equinix Metal API refused the get of device ${CUSTOM_ID} (HTTP 401): Invalid authentication token; the API token was not accepted`);
    expect(error.hint).toContain('check METAL_AUTH_TOKEN');
    expect(`${error.message} ${error.hint}`).not.toContain('wrong-token-123');
    expect(setup.sim.violations()).toEqual([]);
  });

  it('404 names the device id', async () => {
    setup = await startSim();
    const missing = '00000000-0000-4000-8000-000000000000';
    const error = await failure(setup.provider.getDevice(missing));
    expect(error.status).toBe(404);
    expect(error.message).toContain(`device ${missing}`);
    expect(error.hint).toContain(`check the device id ${missing}`);
    expect(setup.sim.violations()).toEqual([]);
  });

  it("422 carries the API's words", async () => {
    setup = await startSim();
    const error = await failure(setup.provider.reinstall(CUSTOM_ID, { operatingSystem: 'ubuntu_22_04', ipxeScriptUrl: 'http://x/ipxe' }));
    expect(error.status).toBe(422);
    expect(error.apiErrors).toEqual(['ipxe_script_url can only be set when operating_system is custom_ipxe']);
    expect(error.message).toContain('(HTTP 422): ipxe_script_url can only be set when operating_system is custom_ipxe');
    expect(error.hint).toContain('fix what the API says');
    expect(setup.sim.world.applied).toHaveLength(0);
    expect(setup.sim.violations()).toEqual([]);
  });

  it('a missing token is refused before any call', () => {
    expect(() => new MetalClient({ token: '' })).toThrow(/METAL_AUTH_TOKEN is not set/);
  });

  it('the token does not leak through an error on a wrong project', async () => {
    setup = await startSim();
    const client = new MetalClient({ token: TOKEN, apiUrl: setup.apiUrl, projectId: '11111111-1111-4111-8111-111111111111', retries: 0 });
    const error = await failure(client.listDevices());
    expect(error.status).toBe(404);
    expect(error.hint).toContain('METAL_PROJECT_ID');
    expect(JSON.stringify({ m: error.message, h: error.hint })).not.toContain(TOKEN);
  });
});
