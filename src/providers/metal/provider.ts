/**
 * The Provider for Equinix Metal. Reboot and reinstall are never blindly retried: the device is
 * read before the action; after an ambiguous failure (5xx, dropped connection, timeout) it is read
 * again and the action is sent once more only if the device shows that nothing happened.
 */
import type { DeviceConfig } from '../../config/types.js';
import { normalizeUuid } from '../../config/mac.js';
import type { CallRecord, DeviceChanges, Provider, ProviderDevice, ReinstallOptions } from '../provider.js';
import { DEVICE_STATES } from '../provider.js';
import type { MetalClient } from './client.js';
import { MetalApiError } from './errors.js';
import type { MetalDevice, MetalDeviceAction, MetalDeviceUpdate } from './types.js';
import { setTimeout as delay } from 'node:timers/promises';

const UPDATE_FIELDS: Readonly<Record<string, keyof MetalDeviceUpdate>> = { alwaysPxe: 'always_pxe', ipxeScriptUrl: 'ipxe_script_url', userdata: 'userdata' };
const ACTION_FIELDS: Readonly<Record<string, keyof MetalDeviceAction>> = {
  operatingSystem: 'operating_system', ipxeScriptUrl: 'ipxe_script_url', deprovisionFast: 'deprovision_fast', preserveData: 'preserve_data',
};

/** The fields of `source` that `fields` names, renamed to their API names (order and undefined-skipping kept). */
function apiFields(source: object, fields: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const field = fields[key];
    if (field !== undefined && value !== undefined) out[field] = value;
  }
  return out;
}

/** Body of PUT /devices/{id} for these changes. */
export function toUpdateBody(changes: DeviceChanges): MetalDeviceUpdate {
  return apiFields(changes, UPDATE_FIELDS) as MetalDeviceUpdate;
}

/** Body of POST /devices/{id}/actions (reinstall options become operating_system, ipxe_script_url, ...). */
export function toActionBody(type: MetalDeviceAction['type'], options: Partial<ReinstallOptions> = {}): MetalDeviceAction {
  return { type, ...apiFields(options, ACTION_FIELDS) };
}

/** How a recorded call looks as a Metal API request (for --dry-run). Pure. */
export function describeMetalCall(call: CallRecord): string {
  const path = `/devices/${call.device}`;
  if (call.call === 'update') return `PUT ${path} ${JSON.stringify(toUpdateBody(call.args ?? {}))}`;
  return `POST ${path}/actions ${JSON.stringify(toActionBody(call.call, call.args ?? {}))}`;
}

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

  async updateDevice(id: string, changes: DeviceChanges): Promise<ProviderDevice> {
    return toProviderDevice(await this.client.updateDevice(id, toUpdateBody(changes)));
  }

  reboot(id: string): Promise<void> {
    return this.safeAction(id, toActionBody('reboot'));
  }

  reinstall(id: string, options: ReinstallOptions): Promise<void> {
    return this.safeAction(id, toActionBody('reinstall', options));
  }

  powerOn(id: string): Promise<void> {
    return this.safeAction(id, toActionBody('power_on'));
  }

  powerOff(id: string): Promise<void> {
    return this.safeAction(id, toActionBody('power_off'));
  }

  describeCall(call: CallRecord): string {
    return describeMetalCall(call);
  }

  idFor(device: DeviceConfig): string | undefined {
    return device.metalId;
  }

  parseDeviceId(key: string): string | undefined {
    return normalizeUuid(key);
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
