import { describe, expect, it } from 'vitest';
import type { ProviderDevice } from '../../src/providers/provider.js';
import { notReadyReason, planReimage, turnsAlwaysPxeOff } from '../../src/reimage/plan.js';
import { formatElapsed, formatPhaseLine, formatStatusLine, createProgress } from '../../src/reimage/progress.js';
import { redactArgs } from '../../src/reimage/recorder.js';
import { formatDeviceTable } from '../../src/reimage/devices-table.js';

const device = (over: Partial<ProviderDevice> = {}): ProviderDevice => ({
  id: 'id-1', hostname: 'web-1', state: 'active', operatingSystem: 'custom_ipxe', alwaysPxe: false, macs: [], ...over,
});
const ipxe = (installer: boolean) => ({ kind: 'ipxe' as const, scriptUrl: 'http://s/ipxe/web-1', checkUrls: [], installer, alwaysPxeAfter: !installer });

describe('planReimage', () => {
  it('custom_ipxe already: update script URL + always_pxe, then reboot', () => {
    expect(planReimage(device(), ipxe(true))).toEqual({
      path: 'reboot',
      steps: [{ call: 'update', changes: { ipxeScriptUrl: 'http://s/ipxe/web-1', alwaysPxe: true } }, { call: 'reboot' }],
    });
  });

  it('custom_ipxe but powered off: power on instead of reboot', () => {
    expect(planReimage(device({ state: 'inactive' }), ipxe(false)).steps[1]).toEqual({ call: 'power_on' });
  });

  it('another OS + installer: reinstall only', () => {
    expect(planReimage(device({ operatingSystem: 'ubuntu_22_04' }), ipxe(true))).toEqual({
      path: 'reinstall',
      steps: [{ call: 'reinstall', options: { operatingSystem: 'custom_ipxe', ipxeScriptUrl: 'http://s/ipxe/web-1' } }],
    });
  });

  it('another OS + RAM image: always_pxe on first (unless already on)', () => {
    expect(planReimage(device({ operatingSystem: 'ubuntu_22_04' }), ipxe(false)).steps[0]).toEqual({ call: 'update', changes: { alwaysPxe: true } });
    expect(planReimage(device({ operatingSystem: 'ubuntu_22_04', alwaysPxe: true }), ipxe(false)).steps).toHaveLength(1);
  });

  it('always_pxe from the config wins over the image kind', () => {
    expect(planReimage(device({ operatingSystem: 'ubuntu_22_04' }), { ...ipxe(true), alwaysPxeAfter: true }).steps[0]).toEqual({ call: 'update', changes: { alwaysPxe: true } });
    expect(planReimage(device({ operatingSystem: 'ubuntu_22_04' }), { ...ipxe(false), alwaysPxeAfter: false }).steps).toHaveLength(1);
    expect([turnsAlwaysPxeOff(ipxe(true)), turnsAlwaysPxeOff(ipxe(false)), turnsAlwaysPxeOff({ ...ipxe(true), alwaysPxeAfter: true })]).toEqual([true, false, false]);
  });

  it('stock OS: userdata then reinstall', () => {
    expect(planReimage(device(), { kind: 'os', operatingSystem: 'debian_12', userdata: '#cloud-config\n' })).toEqual({
      path: 'os',
      steps: [{ call: 'update', changes: { userdata: '#cloud-config\n' } }, { call: 'reinstall', options: { operatingSystem: 'debian_12' } }],
    });
    expect(planReimage(device(), { kind: 'os', operatingSystem: 'debian_12' }).steps).toEqual([{ call: 'reinstall', options: { operatingSystem: 'debian_12' } }]);
  });

  it('refuses busy devices', () => {
    expect(notReadyReason(device({ state: 'reinstalling' }))).toBe('device web-1 is reinstalling; wait until it is active (or inactive) and run again');
    expect(notReadyReason(device({ state: 'inactive' }))).toBeUndefined();
  });
});

describe('progress and output formatting', () => {
  it('formats elapsed times', () => {
    expect([formatElapsed(0), formatElapsed(1_234), formatElapsed(42_000), formatElapsed(185_000)]).toEqual(['0.0s', '1.2s', '42s', '3m05s']);
    expect(formatPhaseLine('web-1', { phase: 'kernel', at: '', elapsedMs: 65_000, detail: '/assets/x/linux' })).toBe('web-1: + 1m05s  kernel  /assets/x/linux');
    expect(formatStatusLine('web-1', 'initrd', 3_000, 1)).toBe('/ web-1: initrd … 3.0s');
  });

  it('plain lines when not a TTY, a live line on a TTY', () => {
    const plain: string[] = [];
    const p = createProgress('web-1', { write: (t: string) => plain.push(t), isTTY: false });
    p.phase({ phase: 'script', at: '', elapsedMs: 500 });
    p.stop();
    expect(plain).toEqual(['web-1: +  0.5s  script\n']);
    const live: string[] = [];
    const l = createProgress('web-1', { write: (t: string) => live.push(t), isTTY: true });
    l.phase({ phase: 'script', at: '', elapsedMs: 500 });
    l.stop();
    expect(live[0]).toBe('\r\x1b[Kweb-1: +  0.5s  script\n');
    expect(live[1]!.startsWith('\r\x1b[K| web-1: script … ')).toBe(true);
    expect(live.at(-1)).toBe('\r\x1b[K');
  });

  it('redacts userdata in recorded calls', () => {
    expect(redactArgs({ userdata: 'secret-password', alwaysPxe: true, x: undefined })).toEqual({ userdata: '<15 bytes>', alwaysPxe: true });
  });

  it('sorts the devices table by hostname', () => {
    const text = formatDeviceTable([device({ hostname: 'b', id: '2' }), device({ hostname: 'a', id: '1', plan: 'm3', metro: 'sv' })]);
    expect(text.split('\n')[1]).toMatch(/^1\s+a\s+active\s+custom_ipxe\s+false\s+m3\s+sv\s+-$/);
  });
});
