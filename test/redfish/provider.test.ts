import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sameOriginUrl } from '../../src/providers/redfish/http.js';
import type { Rig } from './helpers.js';
import { received, startRig, until, warmSimulator } from './helpers.js';

let rig: Rig | undefined;
beforeAll(warmSimulator, 120_000);
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('the redfish provider against the default (DMTF mockup) simulator', () => {
  it('reads power state, boot override and the MACs of the EthernetInterfaces', async () => {
    rig = await startRig();
    const device = await rig.provider.getDevice('web-1');
    expect(device).toMatchObject({ id: 'web-1', hostname: 'web-1', state: 'active', power: 'On', bootOverride: 'none', operatingSystem: 'custom_ipxe', plan: 'Contoso 3500' });
    expect(device.macs).toEqual(['12:44:6a:3b:04:11', '12:44:6a:3b:88:90']);
    expect(rig.sim.violations()).toEqual([]);
  });

  it('logs in with a session, uses its token, and deletes the session on close', async () => {
    rig = await startRig();
    await rig.provider.getDevice('web-1');
    expect(rig.sim.context.sessions.sessions.size).toBe(1);
    await rig.provider.close();
    expect(rig.sim.context.sessions.sessions.size).toBe(0);
    const log = received(rig.sim);
    expect(log[0]).toBe('GET /redfish/v1 200');
    expect(log[1]).toBe('POST /redfish/v1/SessionService/Sessions 201');
    expect(log.at(-1)).toMatch(/^DELETE \/redfish\/v1\/SessionService\/Sessions\/\S+ 204$/);
    expect(rig.sim.requests().slice(2, -1).every((r) => r.auth === 'session')).toBe(true);
  });

  it('alwaysPxe true sets a Continuous PXE override with the If-Match of its read, false disables it', async () => {
    rig = await startRig();
    const on = await rig.provider.updateDevice('web-1', { alwaysPxe: true });
    expect(on).toMatchObject({ alwaysPxe: true, bootOverride: 'Pxe (Continuous)' });
    const patch = rig.sim.requests().find((r) => r.method === 'PATCH');
    expect(patch).toMatchObject({ status: 200, body: { Boot: { BootSourceOverrideEnabled: 'Continuous', BootSourceOverrideTarget: 'Pxe' } } });
    expect(patch?.ifMatch).toMatch(/^W\/"[0-9a-f]{20}"$/);
    const off = await rig.provider.updateDevice('web-1', { alwaysPxe: false });
    expect(off).toMatchObject({ alwaysPxe: false, bootOverride: 'none' });
    expect(rig.sim.world.systems.get('437XR1138R2')!.boot.enabled).toBe('Disabled');
  });

  it('a Once PXE override makes the next reset boot the network, then the disk', async () => {
    rig = await startRig({ sim: { quirks: { noContinuous: true } } });
    await rig.provider.updateDevice('web-1', { alwaysPxe: true });
    expect(rig.sim.world.systems.get('437XR1138R2')!.boot.enabled).toBe('Once');
    await rig.provider.reboot('web-1');
    await until(() => rig!.sim.world.boots.length === 1);
    const system = rig.sim.world.systems.get('437XR1138R2')!;
    expect(rig.sim.world.boots[0]).toMatchObject({ target: 'Pxe' });
    expect(system.boot.enabled).toBe('Disabled');
    expect(rig.sim.world.resets.map((r) => r.type)).toEqual(['ForceRestart']);
    await until(() => system.power === 'On');
    rig.sim.world.reset(system, 'ForceRestart', rig.sim.context.quirks);
    await until(() => rig!.sim.world.boots.length === 2);
    expect(rig.sim.world.boots[1]).toMatchObject({ target: 'Hdd' });
  });

  it('re-arms Once before each reset it sends while always-PXE is wanted and Continuous is missing', async () => {
    rig = await startRig({ sim: { quirks: { noContinuous: true } } });
    await rig.provider.updateDevice('web-1', { alwaysPxe: true });
    await rig.provider.reboot('web-1');
    await until(() => rig!.sim.world.boots.length === 1);
    const system = rig.sim.world.systems.get('437XR1138R2')!;
    await until(() => system.power === 'On');
    await rig.provider.reboot('web-1');
    await until(() => rig!.sim.world.boots.length === 2);
    expect(rig.sim.world.boots.map((b) => b.target)).toEqual(['Pxe', 'Pxe']);
  });

  it('powers an off system on with On (not a restart), and off with ForceOff; nothing when already there', async () => {
    rig = await startRig({ sim: { systems: [{ powerState: 'Off' }] } });
    await rig.provider.reboot('web-1');
    expect(rig.sim.world.resets.map((r) => r.type)).toEqual(['On']);
    const system = rig.sim.world.systems.get('437XR1138R2')!;
    await until(() => system.power === 'On');
    await rig.provider.powerOn('web-1');
    await rig.provider.powerOff('web-1');
    await until(() => system.power === 'Off');
    await rig.provider.powerOff('web-1');
    expect(rig.sim.world.resets.map((r) => r.type)).toEqual(['On', 'ForceOff']);
    expect(rig.sim.violations()).toEqual([]);
  });

  it('prints the serial console the system advertises', async () => {
    rig = await startRig();
    const text = await rig.provider.describeConsole('web-1');
    const host = new URL(rig.url).hostname;
    expect(text).toContain(`SSH: ssh -p 2200 -l operator ${host}`);
    expect(text).toContain(`IPMI Serial-over-LAN: ipmitool -I lanplus -H ${host} -p 623 -U operator -E sol activate`);
    expect(await rig.provider.consoleCommand('web-1')).toEqual({ file: 'ssh', args: ['-p', '2200', '-l', 'operator', host] });
  });

  it('refuses a UefiHttp boot where the system does not offer it, before changing anything', async () => {
    rig = await startRig({ bmcExtra: 'boot: uefi_http\nhttp_boot_uri: http://127.0.0.1:8080/snponly.efi' });
    await expect(rig.provider.updateDevice('web-1', { alwaysPxe: true })).rejects.toThrow(
      'cannot boot web-1 from UefiHttp: its BMC does not offer UefiHttp as a boot override target (BootSourceOverrideTarget@Redfish.AllowableValues: None, Pxe, Cd, Usb, Hdd, BiosSetup, Utilities, Diags, SDCard, UefiTarget)',
    );
    expect(rig.sim.requests().filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('points UefiHttp at http_boot_uri where the system allows it, and the boot hook gets that URI', async () => {
    const hooked: { target: string; uri?: string }[] = [];
    rig = await startRig({ quirks: { uefiHttp: true }, sim: { hooks: { onReset: (_system, boot) => void hooked.push(boot) } }, bmcExtra: 'boot: uefi_http\nhttp_boot_uri: http://127.0.0.1:8080/snponly.efi' });
    await rig.provider.updateDevice('web-1', { alwaysPxe: true });
    await rig.provider.reboot('web-1');
    await until(() => hooked.length === 1);
    expect(hooked[0]).toEqual({ target: 'UefiHttp', uri: 'http://127.0.0.1:8080/snponly.efi' });
    expect(rig.sim.violations()).toEqual([]);
  });
});

describe('hostile answers', () => {
  it('never follows a link to another host with its credentials', () => {
    const options = { baseUrl: 'https://10.0.0.5', device: 'web-1' };
    expect(sameOriginUrl(options, '/redfish/v1/TaskService/TaskMonitors/1', 'reset')).toBe('https://10.0.0.5/redfish/v1/TaskService/TaskMonitors/1');
    expect(() => sameOriginUrl(options, 'http://203.0.113.9/steal', 'reset (task)')).toThrow('the BMC of web-1 pointed "reset (task)" at http://203.0.113.9, not at itself; not following it');
    expect(() => sameOriginUrl(options, '//203.0.113.9/x', 'log in')).toThrow('not at itself');
  });
});
