/**
 * Which calls re-image a device. Pure.
 * - iPXE target, device already `custom_ipxe`: update ipxe_script_url + always_pxe true, then reboot
 *   (power on instead when the device is off).
 * - iPXE target, another OS: (RAM image: always_pxe true first) reinstall with custom_ipxe + ipxe_script_url.
 * - Stock OS: set userdata when given, then reinstall with that operating system.
 */
import type { ProviderDevice, ReinstallOptions } from '../providers/provider.js';
import type { ReimageTarget } from './types.js';

export type PlannedStep =
  | { readonly call: 'update'; readonly changes: { alwaysPxe?: boolean; ipxeScriptUrl?: string; userdata?: string } }
  | { readonly call: 'reboot' }
  | { readonly call: 'power_on' }
  | { readonly call: 'reinstall'; readonly options: ReinstallOptions };

export interface Plan {
  readonly path: 'reboot' | 'reinstall' | 'os';
  readonly steps: readonly PlannedStep[];
}

export const CUSTOM_IPXE = 'custom_ipxe';

/** Whether always_pxe goes back off once an iPXE target has succeeded. */
export function turnsAlwaysPxeOff(target: ReimageTarget): boolean {
  return target.kind === 'ipxe' && !target.alwaysPxeAfter;
}

export function planReimage(device: ProviderDevice, target: ReimageTarget): Plan {
  if (target.kind === 'os') {
    return {
      path: 'os',
      steps: [
        ...(target.userdata === undefined ? [] : [{ call: 'update' as const, changes: { userdata: target.userdata } }]),
        { call: 'reinstall', options: { operatingSystem: target.operatingSystem } },
      ],
    };
  }
  if (device.operatingSystem === CUSTOM_IPXE) {
    return {
      path: 'reboot',
      steps: [
        { call: 'update', changes: { ipxeScriptUrl: target.scriptUrl, alwaysPxe: true } },
        device.state === 'inactive' ? { call: 'power_on' } : { call: 'reboot' },
      ],
    };
  }
  const keepOn = !turnsAlwaysPxeOff(target);
  return {
    path: 'reinstall',
    steps: [
      ...(keepOn && !device.alwaysPxe ? [{ call: 'update' as const, changes: { alwaysPxe: true } }] : []),
      { call: 'reinstall', options: { operatingSystem: CUSTOM_IPXE, ipxeScriptUrl: target.scriptUrl } },
    ],
  };
}

/** States from which a re-image can start; anything else is refused before touching the device. */
export function notReadyReason(device: ProviderDevice): string | undefined {
  if (device.state === 'active' || device.state === 'inactive') return undefined;
  return `device ${device.hostname || device.id} is ${device.state}; wait until it is active (or inactive) and run again`;
}
