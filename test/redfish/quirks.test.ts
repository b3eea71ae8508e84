/**
 * Every quirk profile of the simulator against the provider: the provider gets the job done, and
 * the simulator's own request log shows how (evidence from the service side, not the client's).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Rig } from './helpers.js';
import { received, startRig, until, warmSimulator } from './helpers.js';

let rig: Rig | undefined;
beforeAll(warmSimulator, 120_000);
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const SYSTEM = '/redfish/v1/Systems/437XR1138R2';
const patches = (r: Rig) => received(r.sim).filter((line) => line.startsWith('PATCH'));

async function armAndReboot(r: Rig): Promise<void> {
  await r.provider.updateDevice('web-1', { alwaysPxe: true });
  await r.provider.reboot('web-1');
  await until(() => r.sim.world.boots.length === 1);
  expect(r.sim.world.boots[0]!.target).toBe('Pxe');
  expect(r.sim.violations()).toEqual([]);
}

describe('ETags and If-Match', () => {
  it('strict-if-match: 412 for the weak tag, then the same tag made strong passes', async () => {
    rig = await startRig({ quirks: { strictIfMatch: true } });
    await armAndReboot(rig);
    const [first, second] = patches(rig);
    expect(first).toMatch(new RegExp(`^PATCH ${SYSTEM} 412 If-Match: W/"([0-9a-f]{20})"$`));
    const tag = /W\/("[0-9a-f]{20}")/.exec(first!)![1];
    expect(second).toBe(`PATCH ${SYSTEM} 200 If-Match: ${tag}`);
  });

  it('broken-if-match: 412 weak, 412 strong, then without If-Match', async () => {
    rig = await startRig({ quirks: { brokenIfMatch: true } });
    await armAndReboot(rig);
    const lines = patches(rig);
    expect(lines.map((line) => line.replace(/"[0-9a-f]{20}"/, 'TAG'))).toEqual([
      `PATCH ${SYSTEM} 412 If-Match: W/TAG`,
      `PATCH ${SYSTEM} 412 If-Match: TAG`,
      `PATCH ${SYSTEM} 200`,
    ]);
  });

  it('strong-etag: the strong tag from the read is sent as it is', async () => {
    rig = await startRig({ quirks: { strongEtags: true, strictIfMatch: true } });
    await armAndReboot(rig);
    expect(patches(rig)).toEqual([expect.stringMatching(new RegExp(`^PATCH ${SYSTEM} 200 If-Match: "[0-9a-f]{20}"$`))]);
  });

  it('no-etag + if-match-required: 428 without a tag, then If-Match: *', async () => {
    rig = await startRig({ quirks: { noEtags: true, ifMatchRequired: true } });
    await armAndReboot(rig);
    expect(patches(rig)).toEqual([`PATCH ${SYSTEM} 428`, `PATCH ${SYSTEM} 200 If-Match: *`]);
  });
});

describe('the boot override', () => {
  it('no-continuous: Continuous refused with 400 PropertyValueNotInList, then Once', async () => {
    rig = await startRig({ quirks: { noContinuous: true } });
    await rig.provider.updateDevice('web-1', { alwaysPxe: false });
    const device = await rig.provider.updateDevice('web-1', { alwaysPxe: true });
    const bodies = rig.sim.requests().filter((r) => r.method === 'PATCH').map((r) => [r.status, (r.body as { Boot: Record<string, string> }).Boot.BootSourceOverrideEnabled]);
    expect(bodies).toEqual([[400, 'Continuous'], [200, 'Once']]);
    expect(device.alwaysPxe).toBe(true);
    expect(rig.logs.join('\n')).toContain('the BMC refused Continuous; using Once before every reset instead');
  });

  it('whole-boot: a partial Boot is refused with PropertyMissing, then Target, Enabled and Mode go together', async () => {
    rig = await startRig({ quirks: { wholeBoot: true } });
    const system = rig.sim.world.systems.get('437XR1138R2')!;
    system.boot = { ...system.boot, target: 'Pxe' };
    await armAndReboot(rig);
    const bodies = rig.sim.requests().filter((r) => r.method === 'PATCH').map((r) => [r.status, r.body]);
    expect(bodies).toEqual([
      [400, { Boot: { BootSourceOverrideEnabled: 'Continuous' } }],
      [200, { Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Continuous', BootSourceOverrideMode: 'UEFI' } }],
    ]);
  });

  it('boot-settings: Boot goes to the @Redfish.Settings object and takes effect at the reset', async () => {
    rig = await startRig({ quirks: { bootSettings: true, noContinuous: true } });
    await rig.provider.updateDevice('web-1', { alwaysPxe: true });
    const system = rig.sim.world.systems.get('437XR1138R2')!;
    expect(system.boot.enabled).toBe('Disabled');
    expect(system.pending).toMatchObject({ target: 'Pxe' });
    expect(patches(rig).every((line) => line.startsWith(`PATCH ${SYSTEM}/Settings `))).toBe(true);
    await rig.provider.reboot('web-1');
    await until(() => rig!.sim.world.boots.length === 1);
    expect(rig.sim.world.boots[0]!.target).toBe('Pxe');
    expect(system.pending).toBeUndefined();
    expect(system.boot.enabled).toBe('Disabled');
    expect(rig.sim.violations()).toEqual([]);
  });
});

describe('resets', () => {
  it('async-reset: 202 + Location is followed as a task monitor until it is done', async () => {
    rig = await startRig({ quirks: { asyncReset: true } });
    await armAndReboot(rig);
    const log = received(rig.sim);
    expect(log).toContain(`POST ${SYSTEM}/Actions/ComputerSystem.Reset 202`);
    const polls = log.filter((line) => line.startsWith('GET /redfish/v1/TaskService/TaskMonitors/'));
    expect(polls.at(-1)).toMatch(/ 204$/);
  });

  it('refuse-same-power-state: On refused because the system came on meanwhile counts as done after a re-read', async () => {
    rig = await startRig({ quirks: { refuseSamePowerState: true }, sim: { systems: [{ powerState: 'Off' }], faults: [{ kind: 'delay', operation: 'reset', delayMs: 150 }] } });
    const system = rig.sim.world.systems.get('437XR1138R2')!;
    const powering = rig.provider.powerOn('web-1');
    await until(() => rig!.sim.requests().some((r) => r.path.endsWith('ComputerSystem.Reset')));
    system.power = 'On'; // someone pressed the power button while the request was on its way
    await powering;
    expect(received(rig.sim).filter((line) => line.includes('ComputerSystem.Reset'))).toEqual([`POST ${SYSTEM}/Actions/ComputerSystem.Reset 400`]);
    expect(rig.sim.world.resets).toEqual([]);
    expect(rig.logs.join('\n')).toContain('refused, and the system is already On; counting it as done');
  });

  it('no-force-restart: a GracefulRestart instead', async () => {
    rig = await startRig({ quirks: { noForceRestart: true } });
    await armAndReboot(rig);
    expect(rig.sim.world.resets.map((r) => r.type)).toEqual(['GracefulRestart']);
  });

  it('on-off-only: ForceOff, wait for Off, then On', async () => {
    rig = await startRig({ quirks: { onOffOnly: true } });
    await armAndReboot(rig);
    expect(rig.sim.world.resets.map((r) => r.type)).toEqual(['ForceOff', 'On']);
  });
});

describe('authentication', () => {
  it('no-sessions: falls back to Basic and never retries the login', async () => {
    rig = await startRig({ quirks: { noSessions: true } });
    await armAndReboot(rig);
    const requests = rig.sim.requests();
    expect(requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Sessions')).map((r) => r.status)).toEqual([405]);
    expect(requests.filter((r) => r.method === 'PATCH').every((r) => r.auth === 'basic')).toBe(true);
  });

  it('a session the BMC dropped (expired, BMC restarted) is opened again once', async () => {
    rig = await startRig();
    await rig.provider.getDevice('web-1');
    rig.sim.context.sessions.sessions.clear();
    await rig.provider.getDevice('web-1');
    const log = received(rig.sim);
    expect(log.filter((line) => line.startsWith('POST /redfish/v1/SessionService/Sessions 201'))).toHaveLength(2);
    expect(log).toContain(`GET ${SYSTEM} 401`);
  });

  it('wrong credentials stop at the login with a message naming what to fix (and no Basic retry)', async () => {
    rig = await startRig({ sim: { users: [{ username: 'operator', password: 'other' }] } });
    await expect(rig.provider.getDevice('web-1')).rejects.toThrow('the BMC of web-1 refused to log in: HTTP 401 (Base.1.5.0.NoValidSession); the credentials were not accepted');
    expect(received(rig.sim)).toEqual(['GET /redfish/v1 200', 'POST /redfish/v1/SessionService/Sessions 401']);
  });
});

describe('faults', () => {
  it('UnableToModifyDuringSystemPOST and transient 500s on PATCH are retried with backoff', async () => {
    rig = await startRig({ sim: { faults: [{ kind: 'post', operation: 'patch', times: 2 }, { kind: 'status', operation: 'patch', times: 1 }] } });
    await armAndReboot(rig);
    expect(patches(rig).map((line) => line.split(' ')[2])).toEqual(['400', '400', '500', '200']);
    expect(rig.logs.join('\n')).toContain('HTTP 400 (the system is in POST); retry 1/6');
  });

  it('transient 500s on reads are retried', async () => {
    rig = await startRig({ sim: { faults: [{ kind: 'status', operation: 'get', times: 2 }] } });
    const device = await rig.provider.getDevice('web-1');
    expect(device.power).toBe('On');
  });

  it('a reset that takes effect but answers 500 is read back and not sent again', async () => {
    rig = await startRig({ sim: { faults: [{ kind: 'after-effect', operation: 'reset', times: 1 }] } });
    await rig.provider.updateDevice('web-1', { alwaysPxe: true });
    await rig.provider.reboot('web-1');
    await until(() => rig!.sim.world.boots.length === 1);
    expect(rig.sim.world.resets).toHaveLength(1);
    expect(received(rig.sim).filter((line) => line.includes('ComputerSystem.Reset'))).toEqual([`POST ${SYSTEM}/Actions/ComputerSystem.Reset 500`]);
    expect(rig.logs.join('\n')).toContain('the system shows it took effect; not sending it again');
  });

  it('a restart that failed without any sign of it is not sent a second time', async () => {
    rig = await startRig({ sim: { faults: [{ kind: 'status', operation: 'reset', times: 1 }] } });
    await expect(rig.provider.reboot('web-1')).rejects.toThrow('a second reset could interrupt a first one that is still under way');
    expect(rig.sim.world.resets).toHaveLength(0);
    expect(received(rig.sim).filter((line) => line.includes('ComputerSystem.Reset'))).toHaveLength(1);
  });

  it('a power-on that failed without any sign of it is sent again (a second On is harmless)', async () => {
    rig = await startRig({ sim: { systems: [{ powerState: 'Off' }], faults: [{ kind: 'status', operation: 'reset', times: 1 }] } });
    await rig.provider.powerOn('web-1');
    expect(received(rig.sim).filter((line) => line.includes('ComputerSystem.Reset')).map((line) => line.split(' ')[2])).toEqual(['500', '204']);
    expect(rig.sim.world.resets.map((r) => r.type)).toEqual(['On']);
  });
});
