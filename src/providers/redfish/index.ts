/**
 * The Redfish provider from the config: every device with a `bmc:` section. Credentials come from
 * the environment or the device's 0600 credentials_file, read when the BMC is first used.
 * Sessions are deleted when the command is done (`close()`, and before the process exits).
 */
import type { DeviceConfig } from '../../config/types.js';
import { ConfigError } from '../../errors.js';
import type { ProviderContext } from '../provider.js';
import { BmcHandle } from './bmc.js';
import type { ClientOptions } from './client.js';
import { RedfishClient } from './client.js';
import { readCredentials } from './credentials.js';
import type { Credentials } from './credentials.js';
import type { RedfishCall } from './http.js';
import { dispatcherFor } from './http.js';
import { RedfishProvider } from './provider.js';
import type { ResetOptions } from './reset.js';
import { BmcAuth } from './session.js';

export { RedfishProvider } from './provider.js';
export { RedfishError } from './errors.js';
export type { RedfishCall } from './http.js';

type BmcDevice = DeviceConfig & { bmc: NonNullable<DeviceConfig['bmc']> };

/** A ProviderContext plus knobs for tests (fast backoff, call recording). */
export interface RedfishProviderContext extends ProviderContext {
  readonly client?: Partial<Omit<ClientOptions, 'device'>>;
  readonly reset?: Omit<ResetOptions, 'log'>;
  readonly timeoutMs?: number;
  readonly onCall?: (device: string, call: RedfishCall) => void;
  /** Delete the sessions before the process exits (the CLI); tests call close() instead. */
  readonly closeOnExit?: boolean;
}

export function createRedfishProvider(context: RedfishProviderContext): RedfishProvider {
  const config = context.config;
  if (!config || !Object.values(config.devices).some((device) => device.bmc)) {
    throw new ConfigError(`the redfish provider needs devices with a bmc section${config ? ` in ${config.file}` : ' in metalboot.yaml'}`, {
      hint: 'add bmc: { url: https://<bmc address>, password_env: … } to each device (see docs/redfish.md)',
    });
  }
  const env = context.env ?? process.env;
  const log = context.log ?? (() => {});
  const credentials = new Map<string, Credentials>();
  const credentialsOf = (device: BmcDevice): Credentials => {
    const known = credentials.get(device.name);
    if (known) return known;
    const read = readCredentials(device.bmc, env);
    credentials.set(device.name, read);
    return read;
  };
  const connect = (device: BmcDevice): BmcHandle => {
    const dispatcher = dispatcherFor(device.bmc);
    const http = {
      baseUrl: device.bmc.url,
      device: device.name,
      timeoutMs: context.timeoutMs ?? 30_000,
      ...(dispatcher ? { dispatcher } : {}),
      ...(context.onCall ? { onCall: (call: RedfishCall) => context.onCall!(device.name, call) } : {}),
    };
    const auth = new BmcAuth(http, () => credentialsOf(device), (line) => log(`${device.name}: ${line}`));
    return new BmcHandle(device, new RedfishClient(auth, { device: device.name, log, ...context.client }));
  };
  const provider = new RedfishProvider({ config, connect, credentials: credentialsOf, log, ...(context.reset ? { reset: context.reset } : {}) });
  if (context.closeOnExit) process.once('beforeExit', () => void provider.close());
  return provider;
}

/** Provider factory convention: src/providers/<name>/index.ts exports createProvider(context). */
export function createProvider(context: ProviderContext): RedfishProvider {
  return createRedfishProvider({ ...context, closeOnExit: true });
}
