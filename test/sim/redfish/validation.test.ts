/**
 * The simulator checks requests against DMTF's schemas and answers as a Redfish service does
 * (400 with @Message.ExtendedInfo), and records them as violations so a client test that sends
 * them fails. Its own answers are checked too (proves the check is live: a broken answer is a 500).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedfishSimulator } from '../../../src/sim/redfish/index.js';
import type { RedfishSimulator } from '../../../src/sim/redfish/index.js';
import { loadMockup } from '../../../src/sim/redfish/mockup.js';

const SYSTEM = '/redfish/v1/Systems/437XR1138R2';
const AUTH = { Authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` };
let sim: RedfishSimulator | undefined;
beforeAll(async () => {
  const warm = createRedfishSimulator({});
  await warm.listen();
  await warm.close();
}, 120_000);
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(): Promise<string> {
  sim = createRedfishSimulator({ timings: { powerMs: 20 } });
  return (await sim.listen()).url;
}

async function send(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: { error?: { '@Message.ExtendedInfo': { MessageId: string; MessageArgs: string[] }[] } } }> {
  const response = await fetch(`${url}${path}`, { method, headers: { ...AUTH, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
}

const ids = (answer: Awaited<ReturnType<typeof send>>) => answer.body.error?.['@Message.ExtendedInfo'].map((m) => `${m.MessageId}(${m.MessageArgs.join(',')})`);

describe('requests are checked against the DMTF schemas', () => {
  it('refuses a PATCH of read-only properties with 400 PropertyNotWritable, as a service does', async () => {
    const url = await start();
    const answer = await send(url, 'PATCH', SYSTEM, { PowerState: 'Off', Boot: { BootSourceOverrideTarget: 'Pxe' }, SerialNumber: 'x' });
    expect(answer.status).toBe(400);
    expect(ids(answer)).toEqual(['Base.1.5.0.PropertyNotWritable(PowerState)', 'Base.1.5.0.PropertyNotWritable(SerialNumber)']);
    expect(sim!.violations()).toEqual([`PATCH ${SYSTEM}: /PowerState is read-only`, `PATCH ${SYSTEM}: /SerialNumber is read-only`]);
    expect(sim!.world.systems.get('437XR1138R2')!.boot.target).toBe('None');
  });

  it('refuses an unknown property, a value outside the enum and a wrongly typed value', async () => {
    const url = await start();
    const answer = await send(url, 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'Network', BootSourceOverrideEnabled: true, BootOrderX: [] } });
    expect(answer.status).toBe(400);
    expect(ids(answer)?.sort()).toEqual([
      'Base.1.5.0.PropertyUnknown(Boot/BootOrderX)',
      'Base.1.5.0.PropertyValueNotInList("Network",Boot/BootSourceOverrideTarget)',
      'Base.1.5.0.PropertyValueTypeError(true,Boot/BootSourceOverrideEnabled)',
    ]);
    expect(sim!.violations().join('\n')).toContain('/Boot/BootOrderX is not a property of this resource');
  });

  it('refuses a target the system does not list in @Redfish.AllowableValues (schema-valid, but not offered)', async () => {
    const url = await start();
    const answer = await send(url, 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'UefiHttp' } });
    expect(answer.status).toBe(400);
    expect(ids(answer)).toEqual(['Base.1.5.0.PropertyValueNotInList(UefiHttp,Boot/BootSourceOverrideTarget)']);
    expect(sim!.violations()[0]).toContain('BootSourceOverrideTarget UefiHttp is not in its @Redfish.AllowableValues');
  });

  it('refuses a Reset with an unknown ResetType, an unknown parameter, and a restart of a system that is off', async () => {
    const url = await start();
    expect((await send(url, 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'Reboot' })).status).toBe(400);
    expect((await send(url, 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'On', Force: true })).status).toBe(400);
    sim!.world.systems.get('437XR1138R2')!.power = 'Off';
    expect((await send(url, 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'ForceRestart' })).status).toBe(400);
    const text = sim!.violations().join('\n');
    expect(text).toContain('ResetType must be equal to one of the allowed values (On, ForceOff,');
    expect(text).toContain('"Force" is not a parameter of Reset (known: ResetType)');
    expect(text).toContain('ForceRestart sent to a system that is off');
    expect(sim!.world.resets).toEqual([]);
  });

  it('refuses malformed JSON and a login without a password', async () => {
    const url = await start();
    const malformed = await send(url, 'PATCH', SYSTEM, '{"Boot": ');
    expect(malformed.status).toBe(400);
    expect(ids(malformed)).toEqual(['Base.1.5.0.MalformedJSON()']);
    const login = await fetch(`${url}/redfish/v1/SessionService/Sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ UserName: 'admin' }) });
    expect(login.status).toBe(400);
    expect(sim!.violations()).toContain('POST /redfish/v1/SessionService/Sessions: /Password is required to create it');
  });

  it('answers 401 without credentials, except for the service root and the login', async () => {
    const url = await start();
    expect((await fetch(`${url}/redfish/v1/`)).status).toBe(200);
    expect((await fetch(`${url}${SYSTEM}`)).status).toBe(401);
    expect((await fetch(`${url}${SYSTEM}`, { headers: { 'X-Auth-Token': 'guess' } })).status).toBe(401);
  });
});

describe('answers are checked against the DMTF schemas', () => {
  it('serves every mockup resource schema-valid', async () => {
    const url = await start();
    const failed: string[] = [];
    for (const path of loadMockup().keys()) {
      const response = await fetch(`${url}${path}`, { headers: AUTH });
      if (response.status !== 200 && response.status !== 404) failed.push(`${path} ${response.status}`);
    }
    expect(failed).toEqual([]);
    expect(sim!.violations()).toEqual([]);
  }, 60_000);

  it('turns an answer that breaks the schema into a 500 and a violation', async () => {
    const url = await start();
    sim!.world.systems.get('437XR1138R2')!.power = 'Sleeping' as 'On';
    const response = await fetch(`${url}${SYSTEM}`, { headers: AUTH });
    expect(response.status).toBe(500);
    expect(sim!.violations().join('\n')).toContain('/PowerState must be equal to one of the allowed values (On, Off, PoweringOn, PoweringOff, Paused)');
  });
});
