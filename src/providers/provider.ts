/**
 * What the re-image flow needs from a place where servers live. The Equinix Metal client
 * (src/providers/metal), local QEMU VMs (src/providers/qemu) and BMCs speaking Redfish
 * (src/providers/redfish) implement it.
 */
import type { Config, DeviceConfig } from '../config/types.js';

/** What a provider factory (`src/providers/<name>/index.ts` createProvider) gets: config, flags, environment. */
export interface ProviderContext {
  readonly config?: Config;
  readonly apiUrl?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

/** Every state a device can be in (Metal's device states; QEMU uses a few of them). */
export const DEVICE_STATES = [
  'queued', 'provisioning', 'deprovisioning', 'reinstalling', 'active', 'inactive', 'failed', 'powering_on', 'powering_off', 'deleted',
] as const;

export type DeviceState = (typeof DEVICE_STATES)[number];

export interface ProviderDevice {
  readonly id: string;
  readonly hostname: string;
  readonly state: DeviceState;
  /** Operating system slug, e.g. `custom_ipxe`, `debian_12`. */
  readonly operatingSystem?: string;
  readonly alwaysPxe: boolean;
  readonly ipxeScriptUrl?: string;
  readonly plan?: string;
  readonly metro?: string;
  /** Serial-over-SSH host (`ssh <id>@<sos>`). */
  readonly sos?: string;
  /** MACs of the device's network ports, lower-case with colons. */
  readonly macs: readonly string[];
  /** The BMC's power state as it says it (Redfish: On, Off, PoweringOn, PoweringOff). */
  readonly power?: string;
  /** The boot override as the BMC shows it, e.g. `Pxe (Once)`, `none`. */
  readonly bootOverride?: string;
  /** Where this host reaches the device's SSH port: `unix:<path>` (a QEMU VM) or `<host>:<port>`. */
  readonly ssh?: string;
}

export type CallName = 'update' | 'reboot' | 'reinstall' | 'power_on' | 'power_off';

/** A call that changes a device, as recorded by the re-image flow (for --json) and described by --dry-run. */
export interface CallRecord {
  readonly call: CallName;
  readonly device: string;
  readonly args?: Readonly<Record<string, unknown>>;
  /** ISO time the call was made (or would have been). */
  readonly at: string;
  readonly dryRun?: boolean;
}

/** What updateDevice can change. */
export interface DeviceChanges {
  readonly alwaysPxe?: boolean;
  readonly ipxeScriptUrl?: string;
  readonly userdata?: string;
}

export interface ReinstallOptions {
  readonly operatingSystem: string;
  readonly ipxeScriptUrl?: string;
  readonly userdata?: string;
  readonly deprovisionFast?: boolean;
  readonly preserveData?: boolean;
}

export interface Provider {
  readonly name: string;
  listDevices(filter?: { hostname?: string; macAddress?: string; tag?: string }): Promise<ProviderDevice[]>;
  getDevice(id: string): Promise<ProviderDevice>;
  updateDevice(id: string, changes: DeviceChanges): Promise<ProviderDevice>;
  reboot(id: string): Promise<void>;
  reinstall(id: string, options: ReinstallOptions): Promise<void>;
  powerOn(id: string): Promise<void>;
  powerOff(id: string): Promise<void>;
  /**
   * How this host checks a URL the device will fetch, before anything is changed (default: fetch).
   * QEMU devices see the server at 10.0.2.2, which only exists inside their network namespace.
   */
  probeFetch?(url: string, init: RequestInit): Promise<Response>;
  /**
   * The device id `key` spells when it has the shape of this provider's ids (Metal: a UUID, any
   * case), else undefined (default): the key is then looked up as a hostname.
   */
  parseDeviceId?(key: string): string | undefined;
  /** How a recorded call looks in this provider's API, for --dry-run (default: `<call> <device> <args>`). */
  describeCall?(call: CallRecord): string;
  /** The provider id of a configured device, undefined when the config lacks it (default: its name). */
  idFor?(device: DeviceConfig): string | undefined;
  /** The command that opens the device's serial console (argv, no shell). */
  consoleCommand(id: string): Promise<{ readonly file: string; readonly args: readonly string[] }>;
  /** How the device's console is reached, as text to print (Redfish: the BMC's advertised SerialConsole). */
  describeConsole?(id: string): Promise<string>;
  /** Releases what the provider holds (Redfish: deletes its BMC sessions). Call once, when done. */
  close?(): Promise<void>;
}
