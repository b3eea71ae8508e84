/**
 * One device's BMC: its client, which ComputerSystem it is, and what the provider remembers about
 * it in this process (MACs, whether Once must be armed before each reset, the script URL).
 */
import type { DeviceConfig } from '../../config/types.js';
import { ProviderError } from '../../errors.js';
import type { RedfishClient, Resource } from './client.js';
import { macOf } from './device.js';

type Json = Record<string, unknown>;

export class BmcHandle {
  systemPath: string | undefined;
  macs: readonly string[] | undefined;
  /** Continuous was wished but is not supported: Once is armed before every reset this process sends. */
  rearmOnce = false;
  scriptUrl: string | undefined;

  constructor(readonly device: DeviceConfig & { bmc: NonNullable<DeviceConfig['bmc']> }, readonly client: RedfishClient) {}

  /** The system's path: bmc.system (an Id or a path), else the only member of /redfish/v1/Systems. */
  async resolveSystem(): Promise<string> {
    if (this.systemPath) return this.systemPath;
    const wanted = this.device.bmc.system;
    if (wanted?.startsWith('/')) return (this.systemPath = wanted.replace(/\/+$/, ''));
    const root = await this.client.get('/redfish/v1/', 'read the service root');
    const systemsPath = ((root.body.Systems ?? {}) as Json)['@odata.id'];
    const collection = await this.client.get(typeof systemsPath === 'string' ? systemsPath : '/redfish/v1/Systems', 'list the systems');
    const members = ((collection.body.Members ?? []) as Json[]).map((member) => member['@odata.id']).filter((path): path is string => typeof path === 'string');
    const found = wanted === undefined ? (members.length === 1 ? members[0] : undefined) : members.find((path) => path.replace(/\/+$/, '').split('/').at(-1) === wanted);
    if (!found) {
      const ids = members.map((path) => path.split('/').filter(Boolean).at(-1)).join(', ') || '(none)';
      throw new ProviderError(
        wanted === undefined ? `the BMC of ${this.device.name} manages ${members.length} systems (${ids}); say which one` : `the BMC of ${this.device.name} has no system "${wanted}" (it has ${ids})`,
        { code: 'E_REDFISH_SYSTEM', hint: `set bmc.system under devices.${this.device.name} to one of: ${ids}` },
      );
    }
    return (this.systemPath = found.replace(/\/+$/, ''));
  }

  async readSystem(): Promise<Resource> {
    return this.client.get(await this.resolveSystem(), 'read the system');
  }

  /** The MACs of the system's EthernetInterfaces (read once per process: they do not change). */
  async readMacs(system: Json): Promise<readonly string[]> {
    if (this.macs) return this.macs;
    const link = ((system.EthernetInterfaces ?? {}) as Json)['@odata.id'];
    if (typeof link !== 'string') return (this.macs = this.device.macs);
    const collection = await this.client.get(link, 'list the network interfaces');
    const members = ((collection.body.Members ?? []) as Json[]).map((member) => member['@odata.id']).filter((path): path is string => typeof path === 'string').slice(0, 64);
    const macs: string[] = [];
    for (const path of members) {
      const mac = macOf((await this.client.get(path, 'read a network interface')).body);
      if (mac && !macs.includes(mac)) macs.push(mac);
    }
    return (this.macs = macs);
  }
}
