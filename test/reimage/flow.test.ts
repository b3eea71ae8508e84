import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followEvents } from '../../src/events/client.js';
import { MetalClient } from '../../src/providers/metal/client.js';
import { MetalProvider } from '../../src/providers/metal/provider.js';
import { reimage, resolveDevice } from '../../src/reimage/index.js';
import type { ReimageSummary, ReimageTarget } from '../../src/reimage/index.js';
import type { WaitUntil } from '../../src/reimage/wait.js';
import { ipxeTarget } from '../../src/reimage/target.js';
import { LK_ID, OPERATOR_TOKEN, startWorld, TOKEN, WEB_ID } from './fixture.js';
import type { World } from './fixture.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  expect(world.sim.violations()).toEqual([]);
  await world.close();
});

function provider(): MetalProvider {
  const sleep = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
  const client = new MetalClient({ token: TOKEN, apiUrl: world.apiUrl, projectId: world.sim.projectId, sleep, random: () => 0.5 });
  return new MetalProvider(client, { sleep, confirmDelayMs: 1 });
}

async function run(key: string, options: { wait?: boolean; dryRun?: boolean; timeoutMs?: number; target?: ReimageTarget; until?: WaitUntil } = {}): Promise<ReimageSummary> {
  const p = provider();
  const resolved = await resolveDevice(p, world.config, key);
  const target = options.target ?? (await ipxeTarget(world.config, resolved));
  return reimage(
    {
      provider: p, follow: (opts, onEvent) => followEvents(world.serverUrl, { ...opts, retryMs: 50, token: OPERATOR_TOKEN }, onEvent), pollMs: 10, pollMaxMs: 40,
      arming: { arm: (device, windowMs) => world.bootStore.arm(device, windowMs).token, disarm: (device) => void world.bootStore.end(device) },
    },
    { resolved, target, wait: options.wait ?? true, timeoutMs: options.timeoutMs ?? 20_000, dryRun: options.dryRun ?? false, consoleCommand: `metalboot console ${key}`, ...(options.until ? { until: options.until } : {}) },
  );
}

const mutating = (w: World) => w.sim.requests().filter((r) => r.method !== 'GET');
const phaseNames = (s: ReimageSummary) => s.phases.map((p) => p.phase);

describe('reimage over the Metal provider, against the simulator and the real server', () => {
  it('custom_ipxe already: sets the script URL + always_pxe, reboots once, waits for the installer, then turns always_pxe off', async () => {
    const summary = await run('web-1');
    expect(summary.result).toBe('succeeded');
    expect(summary.path).toBe('reboot');
    expect(summary.calls.map((c) => [c.call, c.args])).toEqual([
      ['update', { ipxeScriptUrl: `${world.serverUrl}/ipxe/web-1?token=REDACTED`, alwaysPxe: true }],
      ['reboot', undefined],
      ['update', { alwaysPxe: false }],
    ]);
    const names = phaseNames(summary);
    for (const phase of ['updated', 'reboot accepted', 'powering_off', 'script', 'kernel', 'initrd', 'phone-home', 'installed', 'always_pxe off', 'booted', 'succeeded']) expect(names).toContain(phase);
    expect(names.indexOf('script')).toBeLessThan(names.indexOf('kernel'));
    expect(names.indexOf('kernel')).toBeLessThan(names.indexOf('initrd'));
    // always_pxe goes off when the install is done, before the installed system's first boot
    expect(names.indexOf('installed')).toBeLessThan(names.indexOf('always_pxe off'));
    expect(names.indexOf('always_pxe off')).toBeLessThan(names.indexOf('booted'));
    expect(names.indexOf('booted')).toBeLessThan(names.indexOf('succeeded'));
    expect(summary.phases.find((p) => p.phase === 'booted')?.detail).toBe(
      'host web-1; kernel 6.1.0-50-amd64; cmdline console=ttyS1,115200n8; bond0 802.3ad slow miimon 100 layer3+4; partner 02:00:00:5e:10:01; slaves 52:54:00:aa:00:01 52:54:00:aa:00:02; addresses bond0 10.77.0.150/24',
    );
    // the provider got the script URL with a boot token minted for this re-image (64 hex, not the name's HMAC)
    expect(world.sim.device(WEB_ID)).toMatchObject({ alwaysPxe: false, operatingSystem: 'custom_ipxe' });
    expect(world.sim.device(WEB_ID)?.ipxeScriptUrl).toMatch(new RegExp(`^${world.serverUrl}/ipxe/web-1\\?token=[0-9a-f]{64}$`));
    expect(world.sim.world.applied.map((a) => a.type)).toEqual(['reboot']);
  });

  it('another OS: reinstalls with custom_ipxe; a RAM image keeps always_pxe on and succeeds once its initrd is fetched', async () => {
    const summary = await run('lk-1');
    expect(summary.result).toBe('succeeded');
    expect(summary.path).toBe('reinstall');
    expect(summary.calls.map((c) => [c.call, c.args])).toEqual([
      ['update', { alwaysPxe: true }],
      ['reinstall', { operatingSystem: 'custom_ipxe', ipxeScriptUrl: `${world.serverUrl}/ipxe/lk-1?token=REDACTED` }],
    ]);
    expect(phaseNames(summary)).toContain('reinstalling');
    expect(world.sim.device(LK_ID)).toMatchObject({ alwaysPxe: true, operatingSystem: 'custom_ipxe' });
    const reinstall = world.sim.requests().find((r) => r.operation === 'action');
    expect(reinstall?.body).toMatchObject({ type: 'reinstall', operating_system: 'custom_ipxe' });
    expect((reinstall?.body as { ipxe_script_url: string }).ipxe_script_url).toMatch(new RegExp(`^${world.serverUrl}/ipxe/lk-1\\?token=[0-9a-f]{64}$`));
  });

  it('always_pxe: true in the config keeps it on after an installer succeeds', async () => {
    const p = provider();
    const base = await ipxeTarget(world.config, await resolveDevice(p, world.config, 'web-1'));
    const summary = await run('web-1', { target: { ...base, alwaysPxeAfter: true } as ReimageTarget });
    expect(summary.result).toBe('succeeded');
    expect(summary.calls.map((c) => c.call)).toEqual(['update', 'reboot']);
    expect(world.sim.device(WEB_ID)?.alwaysPxe).toBe(true);
  });

  it('waits for the installed system\'s "booted" by default; --until installed settles on the installer\'s report', async () => {
    world.behaviour = 'installed';
    const waiting = await run('web-1', { timeoutMs: 1_500 });
    expect(waiting.result).toBe('timeout');
    expect(phaseNames(waiting)).toEqual(expect.arrayContaining(['installed', 'always_pxe off']));
    expect(world.sim.device(WEB_ID)?.alwaysPxe).toBe(false); // off already: the installer's reboot lands on the disk
    const installed = await run('web-1', { until: 'installed' });
    expect(installed.result).toBe('succeeded');
    expect(phaseNames(installed)).not.toContain('booted');
  });

  it('an installer that reports failure fails the run and leaves always_pxe on', async () => {
    world.behaviour = 'failed';
    const summary = await run('web-1');
    expect(summary.result).toBe('failed');
    expect(summary.message).toBe('the installer reported failure: no disk found; look at its console: metalboot console web-1');
    expect(world.sim.device(WEB_ID)?.alwaysPxe).toBe(true);
  });

  it('times out with the last phase reached and the console command', async () => {
    world.behaviour = 'none';
    const summary = await run('web-1', { timeoutMs: 1_500 });
    expect(summary.result).toBe('timeout');
    expect(summary.message).toMatch(/^timed out after 1.5s waiting for web-1; last phase reached: initrd at \+\d+\.\ds; look at its console: metalboot console web-1$/);
    expect(world.sim.device(WEB_ID)?.alwaysPxe).toBe(true);
  });

  it('--dry-run makes no call that changes anything', async () => {
    const summary = await run('web-1', { dryRun: true });
    expect(summary.result).toBe('dry-run');
    expect(summary.calls.map((c) => c.call)).toEqual(['update', 'reboot']);
    expect(summary.calls.every((c) => c.dryRun)).toBe(true);
    expect(mutating(world)).toEqual([]);
    expect(world.boots).toEqual([]);
  });

  it('stops before touching the device when a URL of its script is unreachable, naming it', async () => {
    const p = provider();
    const resolved = await resolveDevice(p, world.config, 'web-1');
    const target = await ipxeTarget(world.config, resolved);
    if (target.kind !== 'ipxe') throw new Error('expected an ipxe target');
    const missing = `${world.serverUrl}/assets/${'0'.repeat(64)}/initrd.gz`;
    const error = await reimage({ provider: p }, {
      resolved, target: { ...target, checkUrls: [...target.checkUrls, missing] }, wait: false, timeoutMs: 1_000, dryRun: false, consoleCommand: 'x',
    }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe(`not re-imaging web-1: a URL its iPXE script needs is unreachable: ${missing} (HTTP 404)`);
    expect(mutating(world)).toEqual([]);
  });

  it('the stock-OS path sets userdata, reinstalls that OS and waits for active', async () => {
    const summary = await run('lk-1', { target: { kind: 'os', operatingSystem: 'debian_12', userdata: '#!/bin/bash\necho hi\n' } });
    expect(summary.result).toBe('succeeded');
    expect(summary.path).toBe('os');
    expect(summary.calls.map((c) => [c.call, c.args])).toEqual([
      ['update', { userdata: '<20 bytes>' }],
      ['reinstall', { operatingSystem: 'debian_12' }],
    ]);
    expect(world.sim.device(LK_ID)).toMatchObject({ operatingSystem: 'debian_12', userdata: '#!/bin/bash\necho hi\n', state: 'active' });
  });

  it('under 429 and 500 storms the device is rebooted exactly once', async () => {
    world.sim.addFault({ operation: 'action', kind: 'status', status: 429, retryAfter: '0', times: 3 });
    world.sim.addFault({ operation: 'updateDevice', kind: 'status', status: 500, times: 3 });
    world.sim.addFault({ operation: 'getDevice', kind: 'status', status: 503, times: 4 });
    world.sim.addFault({ operation: 'action', actionType: 'reboot', kind: 'after-effect', status: 500, times: 1 });
    const summary = await run('web-1');
    expect(summary.result).toBe('succeeded');
    expect(world.sim.world.applied.map((a) => a.type)).toEqual(['reboot']);
    expect(world.boots).toEqual([{ device: 'web-1', reason: 'reboot' }]);
  });

  it('resolves a device by id and by hostname to its config name', async () => {
    const p = provider();
    expect((await resolveDevice(p, world.config, WEB_ID)).name).toBe('web-1');
    expect((await resolveDevice(p, world.config, 'lk-1')).id).toBe(LK_ID);
    expect((await resolveDevice(p, undefined, 'lk-1')).id).toBe(LK_ID);
    // a Metal id in capitals is still an id (MetalProvider.parseDeviceId), not a hostname
    expect((await resolveDevice(p, undefined, WEB_ID.toUpperCase())).id).toBe(WEB_ID);
    await expect(resolveDevice(p, world.config, 'nope')).rejects.toThrow(/no device "nope"/);
  });

  it('a provider device never takes the config name of a device with a different metal_id', async () => {
    const p = provider();
    const web = world.config.devices['web-1']!;
    const config = { ...world.config, devices: { ...world.config.devices, 'web-1': { ...web, metalId: '6f9d0c1e-9999-4a2b-9c3d-00000000000f' } } };
    expect((await resolveDevice(p, config, WEB_ID)).name).toBeUndefined();
    const { metalId: _unused, ...withoutId } = web;
    const unpinned = { ...world.config, devices: { ...world.config.devices, 'web-1': withoutId } };
    expect((await resolveDevice(p, unpinned, WEB_ID)).name).toBe('web-1');
  });
});
