import { afterEach, describe, expect, it } from 'vitest';
import { MetalApiError } from '../../src/providers/metal/errors.js';
import { CUSTOM_ID, STOCK_ID, startSim } from './helpers.js';
import type { SimSetup } from './helpers.js';

let setup: SimSetup | undefined;
afterEach(async () => {
  if (setup) {
    expect(setup.sim.violations()).toEqual([]);
    await setup.sim.close();
  }
  setup = undefined;
});

const reboots = (s: SimSetup) => s.sim.world.applied.filter((a) => a.type === 'reboot');

describe('reboot and reinstall are never blindly retried', () => {
  it('reboots once and the simulator walks powering_off → active', async () => {
    setup = await startSim();
    await setup.provider.reboot(CUSTOM_ID);
    expect(setup.sim.device(CUSTOM_ID)?.state).toBe('powering_off');
    expect(reboots(setup)).toHaveLength(1);
    await expect.poll(() => setup!.sim.device(CUSTOM_ID)?.state).toBe('active');
  });

  it('a reboot that fails after it took effect is not sent again', async () => {
    setup = await startSim({ faults: [{ operation: 'action', actionType: 'reboot', kind: 'after-effect', status: 500 }] });
    await setup.provider.reboot(CUSTOM_ID);
    expect(reboots(setup)).toHaveLength(1);
    expect(setup.sim.requests().filter((r) => r.operation === 'action')).toHaveLength(1);
    expect(setup.logs.join('\n')).toContain('took effect; not sending it again');
  });

  it('a reboot whose connection drops after it took effect is not sent again', async () => {
    setup = await startSim({ faults: [{ operation: 'action', actionType: 'reboot', kind: 'after-effect', drop: true }] });
    await setup.provider.reboot(CUSTOM_ID);
    expect(reboots(setup)).toHaveLength(1);
  });

  it('under a 500 storm that changes nothing, the reboot is resent until it lands, exactly once', async () => {
    setup = await startSim({ faults: [{ operation: 'action', kind: 'status', status: 500, times: 3 }] });
    await setup.provider.reboot(CUSTOM_ID);
    expect(setup.sim.requests().filter((r) => r.operation === 'action')).toHaveLength(4);
    expect(reboots(setup)).toHaveLength(1);
  });

  it('under a 429 storm the reboot waits Retry-After and lands once', async () => {
    setup = await startSim({ faults: [{ operation: 'action', kind: 'status', status: 429, retryAfter: '2', times: 4 }] });
    await setup.provider.reboot(CUSTOM_ID);
    expect(reboots(setup)).toHaveLength(1);
    expect(setup.sleeps.filter((ms) => ms === 2_000)).toHaveLength(4);
  });

  it('gives up with a clear error when the device never shows the action', async () => {
    setup = await startSim({ faults: [{ operation: 'action', kind: 'status', status: 502 }] });
    const error = (await setup.provider.reboot(CUSTOM_ID).catch((e: unknown) => e)) as MetalApiError;
    expect(error).toBeInstanceOf(MetalApiError);
    expect(error.message).toMatch(/reboot of device .* \(HTTP 502\).*no sign of the reboot after 4 attempts/);
    expect(reboots(setup)).toHaveLength(0);
  });

  it('reinstalls with custom_ipxe and the script URL, reinstalling → active', async () => {
    setup = await startSim();
    await setup.provider.reinstall(STOCK_ID, { operatingSystem: 'custom_ipxe', ipxeScriptUrl: 'http://boot.test/ipxe/db-1', deprovisionFast: true });
    const action = setup.sim.requests().find((r) => r.operation === 'action');
    expect(action?.body).toEqual({ type: 'reinstall', operating_system: 'custom_ipxe', ipxe_script_url: 'http://boot.test/ipxe/db-1', deprovision_fast: true });
    expect(setup.sim.device(STOCK_ID)).toMatchObject({ state: 'reinstalling', operatingSystem: 'custom_ipxe' });
    await expect.poll(() => setup!.sim.device(STOCK_ID)?.state).toBe('active');
  });

  it('power off and on', async () => {
    setup = await startSim();
    await setup.provider.powerOff(STOCK_ID);
    await expect.poll(() => setup!.sim.device(STOCK_ID)?.state).toBe('inactive');
    await setup.provider.powerOn(STOCK_ID);
    await expect.poll(() => setup!.sim.device(STOCK_ID)?.state).toBe('active');
  });
});

describe('a slow answer to a reboot', () => {
  it('times out, then the device is watched until the reboot shows, and it is not sent again', async () => {
    setup = await startSim({ faults: [{ operation: 'action', actionType: 'reboot', kind: 'slow', delayMs: 300 }] }, { timeoutMs: 150 });
    const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const { MetalProvider } = await import('../../src/providers/metal/provider.js');
    const provider = new MetalProvider(setup.client, { sleep: realSleep, confirmReads: 4, confirmDelayMs: 100, log: (l) => setup!.logs.push(l) });
    await provider.reboot(CUSTOM_ID);
    expect(setup.logs.join('\n')).toContain('E_METAL_TIMEOUT; reading the device');
    expect(setup.logs.join('\n')).toContain('took effect; not sending it again');
    expect(reboots(setup)).toHaveLength(1);
  });
});
