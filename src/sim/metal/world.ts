/**
 * The simulator's devices and their state machine: reinstall → reinstalling → active,
 * reboot → powering_off → active, power_off → powering_off → inactive, power_on → powering_on → active,
 * create → queued → provisioning → active. Boot hooks fire when a device starts booting.
 */
import type { SimDevice, SimDeviceSeed, SimState } from './devices.js';
import { customIpxeRefusal, seedDevice } from './devices.js';

export type BootReason = 'reboot' | 'reinstall' | 'power_on' | 'create';

export interface SimHooks {
  /** A device starts booting; `ipxeScriptUrl` is set when it chains to custom iPXE. */
  onBoot?(device: Readonly<SimDevice>, boot: { reason: BootReason; ipxeScriptUrl?: string }): void | Promise<void>;
}

export interface SimTimings {
  readonly rebootMs: number;
  readonly reinstallMs: number;
  readonly powerMs: number;
  readonly provisionMs: number;
}

export const DEFAULT_TIMINGS: SimTimings = { rebootMs: 3_000, reinstallMs: 10_000, powerMs: 3_000, provisionMs: 10_000 };

export interface ActionInput {
  readonly type: string;
  readonly operating_system?: string;
  readonly ipxe_script_url?: string;
}

export class SimWorld {
  readonly devices = new Map<string, SimDevice>();
  /** Every action that took effect, in order (tests count reboots with it). */
  readonly applied: { device: string; type: string; at: string }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly timings: SimTimings, private readonly hooks: SimHooks, private readonly onHookError: (error: unknown) => void) {}

  add(seed: SimDeviceSeed): SimDevice {
    const device = seedDevice(seed);
    this.devices.set(device.id, device);
    return device;
  }

  /** Why the action cannot run now (the API answers 422), or undefined. */
  refuse(device: SimDevice, action: ActionInput): string | undefined {
    const busy: readonly SimState[] = ['queued', 'provisioning', 'deprovisioning', 'reinstalling', 'powering_on', 'powering_off'];
    if (busy.includes(device.state)) return `Device is ${device.state}, try again when it is active`;
    if (action.type === 'reboot' && device.state !== 'active') return `Cannot reboot a device that is ${device.state}`;
    if (action.type === 'power_off' && device.state !== 'active') return `Device is already ${device.state}`;
    if (action.type === 'power_on' && device.state !== 'inactive') return 'Device is already powered on';
    if (action.type === 'rescue') return 'Rescue mode is not available in the simulator';
    if (action.type === 'reinstall') {
      const os = action.operating_system ?? device.operatingSystem;
      if (action.ipxe_script_url !== undefined && os !== 'custom_ipxe') return 'ipxe_script_url can only be set when operating_system is custom_ipxe';
      const refusal = customIpxeRefusal(os, action.ipxe_script_url ?? device.ipxeScriptUrl, device.userdata);
      if (refusal) return refusal;
    }
    return undefined;
  }

  apply(device: SimDevice, action: ActionInput): void {
    this.applied.push({ device: device.id, type: action.type, at: new Date().toISOString() });
    switch (action.type) {
      case 'reboot':
        this.set(device, 'powering_off');
        this.later(this.timings.rebootMs, () => this.boot(device, 'reboot'));
        break;
      case 'reinstall':
        if (action.operating_system) device.operatingSystem = action.operating_system;
        if (action.ipxe_script_url) device.ipxeScriptUrl = action.ipxe_script_url;
        this.set(device, 'reinstalling');
        this.later(this.timings.reinstallMs, () => this.boot(device, 'reinstall'));
        break;
      case 'power_off':
        this.set(device, 'powering_off');
        this.later(this.timings.powerMs, () => this.set(device, 'inactive'));
        break;
      case 'power_on':
        this.set(device, 'powering_on');
        this.later(this.timings.powerMs, () => this.boot(device, 'power_on'));
        break;
    }
  }

  create(seed: SimDeviceSeed): SimDevice {
    const device = this.add({ ...seed, state: 'queued' });
    this.later(this.timings.provisionMs / 2, () => this.set(device, 'provisioning'));
    this.later(this.timings.provisionMs, () => this.boot(device, 'create'));
    return device;
  }

  touch(device: SimDevice): void {
    device.updatedAt = new Date().toISOString();
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private set(device: SimDevice, state: SimState): void {
    device.state = state;
    this.touch(device);
  }

  /** The device comes up: custom_ipxe shows `active` as soon as its script would be served. */
  private boot(device: SimDevice, reason: BootReason): void {
    if (!this.devices.has(device.id)) return;
    this.set(device, 'active');
    const onBoot = this.hooks.onBoot;
    if (!onBoot) return;
    const script = device.operatingSystem === 'custom_ipxe' ? device.ipxeScriptUrl : undefined;
    try {
      void Promise.resolve(onBoot({ ...device }, { reason, ...(script === undefined ? {} : { ipxeScriptUrl: script }) })).catch(this.onHookError);
    } catch (error) {
      this.onHookError(error);
    }
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
