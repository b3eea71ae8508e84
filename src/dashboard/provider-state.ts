/**
 * What the provider says about the configured devices (state, always_pxe), when the dashboard was
 * given a provider: one listDevices per 15 s at most, never fatal (a failure shows as unknown).
 */
import type { Config } from '../config/types.js';
import type { Provider, ProviderDevice } from '../providers/provider.js';
import { providerIdOf } from '../reimage/resolve.js';

export type ProviderOpener = (config: Config) => Promise<Provider>;

const TTL_MS = 15_000;
const TIMEOUT_MS = 3_000;

export interface ProviderView {
  /** Config device name → what the provider says; empty when unknown. */
  readonly devices: ReadonlyMap<string, ProviderDevice>;
  readonly error?: string;
}

export class ProviderStates {
  private cached: { config: Config; at: number; view: ProviderView } | undefined;

  constructor(private readonly open: ProviderOpener | undefined) {}

  get available(): boolean {
    return this.open !== undefined;
  }

  async view(config: Config): Promise<ProviderView> {
    if (!this.open) return { devices: new Map() };
    if (this.cached && this.cached.config === config && Date.now() - this.cached.at < TTL_MS) return this.cached.view;
    const view = await this.fetch(config).catch((error: unknown) => ({ devices: new Map(), error: (error as Error).message }));
    this.cached = { config, at: Date.now(), view };
    return view;
  }

  /** Forgets the cached view (after an action changed a device). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetch(config: Config): Promise<ProviderView> {
    const provider = await this.open!(config);
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the provider did not answer in 3 s')), TIMEOUT_MS)));
      const listed = await Promise.race([provider.listDevices(), timeout]).finally(() => clearTimeout(timer));
      const byId = new Map(listed.map((device) => [device.id, device]));
      const devices = new Map<string, ProviderDevice>();
      for (const device of Object.values(config.devices)) {
        const id = providerIdOf(provider, device);
        const found = id === undefined ? undefined : byId.get(id);
        if (found) devices.set(device.name, found);
      }
      return { devices };
    } finally {
      await provider.close?.();
    }
  }
}
