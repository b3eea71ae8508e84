/**
 * The Provider for servers behind BMCs speaking Redfish. Devices are the config's devices with a
 * `bmc:` section (their provider id is their name). The re-image flow maps onto Redfish so:
 * - updateDevice({ alwaysPxe: true }) → a boot override to the device's target (Pxe by default),
 *   Continuous where the BMC takes it, else Once armed again before every reset this process sends;
 *   alwaysPxe false → override Disabled; ipxeScriptUrl is remembered (the network boot finds the
 *   script by MAC, phase 2), UefiHttp points Boot.HttpBootUri at bmc.http_boot_uri;
 * - reboot / powerOn / powerOff → ComputerSystem.Reset (src/providers/redfish/reset.ts);
 * - getDevice → power state, boot override, MACs of the EthernetInterfaces.
 */
import type { Config, DeviceConfig } from '../../config/types.js';
import { ProviderError } from '../../errors.js';
import type { DeviceChanges, Provider, ProviderDevice, ReinstallOptions } from '../provider.js';
import type { BmcHandle } from './bmc.js';
import { consoleAccess } from './console.js';
import type { Credentials } from './credentials.js';
import { toProviderDevice } from './device.js';
import { setOverride } from './override.js';
import type { PowerGoal } from './power.js';
import type { ResetOptions } from './reset.js';
import { resetSystem } from './reset.js';

type Json = Record<string, unknown>;

export interface RedfishProviderOptions {
  readonly config: Config;
  /** The client of one device's BMC (built by index.ts: TLS, credentials, session). */
  readonly connect: (device: DeviceConfig & { bmc: NonNullable<DeviceConfig['bmc']> }) => BmcHandle;
  readonly credentials: (device: DeviceConfig & { bmc: NonNullable<DeviceConfig['bmc']> }) => Credentials;
  readonly reset?: Omit<ResetOptions, 'log'>;
  readonly log?: (line: string) => void;
}

export class RedfishProvider implements Provider {
  readonly name = 'redfish';
  private readonly handles = new Map<string, BmcHandle>();
  private readonly log: (line: string) => void;

  constructor(private readonly options: RedfishProviderOptions) {
    this.log = options.log ?? (() => {});
  }

  async listDevices(filter: { hostname?: string; macAddress?: string; tag?: string } = {}): Promise<ProviderDevice[]> {
    const names = Object.values(this.options.config.devices).filter((device) => device.bmc && (!filter.hostname || device.hostname.includes(filter.hostname)));
    return Promise.all(names.map((device) => this.getDevice(device.name)));
  }

  idFor(device: DeviceConfig): string | undefined {
    return device.bmc ? device.name : undefined;
  }

  async getDevice(id: string): Promise<ProviderDevice> {
    const handle = this.handle(id);
    const system = (await handle.readSystem()).body;
    const macs = await handle.readMacs(system);
    return toProviderDevice({
      id: handle.device.name, hostname: handle.device.hostname, system, macs, rearmOnce: handle.rearmOnce, ...(handle.scriptUrl ? { scriptUrl: handle.scriptUrl } : {}),
    });
  }

  async updateDevice(id: string, changes: DeviceChanges): Promise<ProviderDevice> {
    const handle = this.handle(id);
    if (changes.userdata !== undefined) throw new ProviderError(`Redfish devices take no userdata (${id})`, { code: 'E_REDFISH_USERDATA', hint: 'per-device settings come from metalboot.yaml' });
    if (changes.ipxeScriptUrl !== undefined) handle.scriptUrl = changes.ipxeScriptUrl;
    if (changes.alwaysPxe !== undefined) {
      const enabled = await setOverride(handle, changes.alwaysPxe ? 'Continuous' : 'Disabled', this.log);
      handle.rearmOnce = changes.alwaysPxe && enabled === 'Once';
    }
    return this.getDevice(id);
  }

  reboot(id: string): Promise<void> {
    return this.power(id, 'reboot');
  }

  async reinstall(id: string, options: ReinstallOptions): Promise<void> {
    if (options.operatingSystem !== 'custom_ipxe') {
      throw new ProviderError(`Redfish devices boot metalboot images only, not ${options.operatingSystem}`, { code: 'E_REDFISH_OS', hint: 'leave --os out' });
    }
    await this.updateDevice(id, { alwaysPxe: true, ...(options.ipxeScriptUrl ? { ipxeScriptUrl: options.ipxeScriptUrl } : {}) });
    await this.power(id, 'reboot');
  }

  powerOn(id: string): Promise<void> {
    return this.power(id, 'on');
  }

  powerOff(id: string): Promise<void> {
    return this.power(id, 'off');
  }

  async consoleCommand(id: string): Promise<{ readonly file: string; readonly args: readonly string[] }> {
    const access = await this.console(id);
    if (!access.ssh) throw new ProviderError(`the BMC of ${id} advertises no SSH serial console: ${access.lines.join('; ')}`, { code: 'E_REDFISH_CONSOLE' });
    return access.ssh;
  }

  async describeConsole(id: string): Promise<string> {
    return `${(await this.console(id)).lines.join('\n')}\n`;
  }

  /** Deletes every BMC session this provider opened. */
  async close(): Promise<void> {
    await Promise.all([...this.handles.values()].map((handle) => handle.client.close()));
  }

  private async console(id: string) {
    const handle = this.handle(id);
    const system = (await handle.readSystem()).body;
    const managerPath = (((system.Links ?? {}) as Json).ManagedBy as Json[] | undefined)?.[0]?.['@odata.id'];
    const manager = typeof managerPath === 'string' ? (await handle.client.get(managerPath, 'read the manager')).body : undefined;
    return consoleAccess({ bmcUrl: handle.device.bmc.url, username: this.options.credentials(handle.device).username, system, ...(manager ? { manager } : {}) });
  }

  private async power(id: string, goal: PowerGoal): Promise<void> {
    const handle = this.handle(id);
    let before = await handle.readSystem();
    if (goal !== 'off' && handle.rearmOnce && (before.body.Boot as Json | undefined)?.BootSourceOverrideEnabled !== 'Once') {
      await setOverride(handle, 'Once', this.log);
      before = await handle.readSystem();
    }
    await resetSystem(handle, goal, before, { ...this.options.reset, log: this.log });
  }

  private handle(id: string): BmcHandle {
    const known = this.handles.get(id);
    if (known) return known;
    const device = this.options.config.devices[id];
    if (!device?.bmc) {
      const names = Object.values(this.options.config.devices).filter((d) => d.bmc).map((d) => d.name);
      throw new ProviderError(`no device "${id}" with a bmc section in ${this.options.config.file}`, { status: 404, code: 'E_NO_DEVICE', hint: names.length > 0 ? `devices with a BMC: ${names.join(', ')}` : 'add bmc: { url: https://… } to the device in metalboot.yaml' });
    }
    const handle = this.options.connect(device as DeviceConfig & { bmc: NonNullable<DeviceConfig['bmc']> });
    this.handles.set(id, handle);
    return handle;
  }
}
