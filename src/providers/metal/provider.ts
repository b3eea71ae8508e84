/**
 * The Provider for Equinix Metal. Reboot and reinstall are never blindly retried: the device is
 * read before the action; after an ambiguous failure (5xx, dropped connection, timeout) it is read
 * again and the action is sent once more only if the device shows that nothing happened.
 */
import type { Provider, ProviderDevice, ReinstallOptions } from '../provider.js';
import { DEVICE_STATES } from '../provider.js';
import type { MetalClient } from './client.js';
import { MetalApiError } from './errors.js';
import type { MetalDevice, MetalDeviceAction } from './types.js';
import { setTimeout as delay } from 'node:timers/promises';

export function toProviderDevice(device: MetalDevice): ProviderDevice {
  const state = DEVICE_STATES.find((known) => known === device.state) ?? 'failed';
  const macs = (device.network_ports ?? [])
    .filter((port) => port.type !== 'NetworkBondPort')
    .map((port) => port.data?.mac?.toLowerCase())
    .filter((mac): mac is string => typeof mac === 'string' && mac !== '');
  const metro = device.metro?.code ?? device.facility?.code;
  return {
    id: device.id,
    hostname: device.hostname ?? '',
    state,
    alwaysPxe: device.always_pxe === true,
    macs,
    ...(device.operating_system?.slug ? { operatingSystem: device.operating_system.slug } : {}),
    ...(device.ipxe_script_url ? { ipxeScriptUrl: device.ipxe_script_url } : {}),
    ...(device.plan?.slug ? { plan: device.plan.slug } : {}),
    ...(metro ? { metro } : {}),
    ...(device.sos ? { sos: device.sos } : {}),
  };
}

export interface MetalProviderOptions {
  readonly sleep?: (ms: number) => Promise<void>;
  /** How often to look at the device after an ambiguous action failure before deciding it did not happen. */
  readonly confirmReads?: number;
  readonly confirmDelayMs?: number;
  /** How many times an action that demonstrably did not happen is sent again. */
  readonly actionRetries?: number;
  readonly log?: (line: string) => void;
}

export class MetalProvider implements Provider {
  readonly name = 'metal';
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly confirmReads: number;
  private readonly confirmDelayMs: number;
  private readonly actionRetries: number;
  private readonly log: (line: string) => void;

  constructor(readonly client: MetalClient, options: MetalProviderOptions = {}) {
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.confirmReads = options.confirmReads ?? 3;
    this.confirmDelayMs = options.confirmDelayMs ?? 2_000;
    this.actionRetries = options.actionRetries ?? 3;
    this.log = options.log ?? (() => {});
  }

  async listDevices(filter?: { hostname?: string; macAddress?: string; tag?: string }): Promise<ProviderDevice[]> {
    return (await this.client.listDevices(filter)).map(toProviderDevice);
  }

  async getDevice(id: string): Promise<ProviderDevice> {
    return toProviderDevice(await this.client.getDevice(id));
  }

  async updateDevice(id: string, changes: { alwaysPxe?: boolean; ipxeScriptUrl?: string; userdata?: string }): Promise<ProviderDevice> {
    const body = {
      ...(changes.alwaysPxe === undefined ? {} : { always_pxe: changes.alwaysPxe }),
      ...(changes.ipxeScriptUrl === undefined ? {} : { ipxe_script_url: changes.ipxeScriptUrl }),
      ...(changes.userdata === undefined ? {} : { userdata: changes.userdata }),
    };
    return toProviderDevice(await this.client.updateDevice(id, body));
  }

  reboot(id: string): Promise<void> {
    return this.safeAction(id, { type: 'reboot' });
  }

  reinstall(id: string, options: ReinstallOptions): Promise<void> {
    return this.safeAction(id, {
      type: 'reinstall',
      operating_system: options.operatingSystem,
      ...(options.ipxeScriptUrl === undefined ? {} : { ipxe_script_url: options.ipxeScriptUrl }),
      ...(options.deprovisionFast === undefined ? {} : { deprovision_fast: options.deprovisionFast }),
      ...(options.preserveData === undefined ? {} : { preserve_data: options.preserveData }),
    });
  }

  powerOn(id: string): Promise<void> {
    return this.safeAction(id, { type: 'power_on' });
  }

  powerOff(id: string): Promise<void> {
    return this.safeAction(id, { type: 'power_off' });
  }

  async consoleCommand(id: string): Promise<{ readonly file: string; readonly args: readonly string[] }> {
    const device = await this.client.getDevice(id);
    if (!device.sos) {
      throw new MetalApiError(`device ${id} has no SOS console host (the API returned no "sos" field)`, {
        action: 'console',
        device: id,
        code: 'E_METAL_NO_SOS',
        hint: 'the serial-over-SSH console is only available for provisioned devices; check its state with "metalboot devices"',
      });
    }
    return { file: 'ssh', args: [`${device.id}@${device.sos}`] };
  }

  /** Sends an action; after an ambiguous failure, reads the device to decide whether it happened. */
  private async safeAction(id: string, action: MetalDeviceAction): Promise<void> {
    const before = await this.client.getDevice(id);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.action(id, action);
        return;
      } catch (error) {
        if (!(error instanceof MetalApiError) || !error.ambiguous) throw error;
        this.log(`${action.type} of ${id}: ${error.code}; reading the device to see whether it took effect`);
        if (await this.tookEffect(id, before)) {
          this.log(`${action.type} of ${id}: the device shows it took effect; not sending it again`);
          return;
        }
        if (attempt >= this.actionRetries) {
          throw new MetalApiError(`${error.message}; the device still shows no sign of the ${action.type} after ${attempt + 1} attempts`, {
            action: action.type,
            device: id,
            ...(error.status === undefined ? {} : { status: error.status }),
            apiErrors: error.apiErrors,
            code: error.code,
            ...(error.hint === undefined ? {} : { hint: error.hint }),
            cause: error,
          });
        }
        this.log(`${action.type} of ${id}: the device is unchanged (${before.state}); sending it again`);
      }
    }
  }

  private async tookEffect(id: string, before: MetalDevice): Promise<boolean> {
    for (let read = 0; read < this.confirmReads; read++) {
      if (read > 0) await this.sleep(this.confirmDelayMs * read);
      const now = await this.client.getDevice(id);
      if (now.state !== before.state || (now.updated_at !== undefined && now.updated_at !== before.updated_at)) return true;
    }
    return false;
  }
}
