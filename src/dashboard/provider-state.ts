/**
 * What the provider says about the configured devices (state, always_pxe), when the dashboard was
 * given a provider: one listDevices per 15 s at most, never fatal (a failure shows as unknown),
 * and never holding a page for more than WAIT_MS — a slow provider's answer shows on the next load.
 */
import type { Config } from '../config/types.js';
import type { Provider, ProviderDevice } from '../providers/provider.js';
import { providerIdOf } from '../reimage/resolve.js';

export type ProviderOpener = (config: Config) => Promise<Provider>;

const TTL_MS = 15_000;
const TIMEOUT_MS = 10_000;
/** How long a page waits for the provider before it renders without (or with the previous) answer. */
const WAIT_MS = 400;

export interface ProviderView {
  /** Config device name → what the provider says; empty when unknown. */
  readonly devices: ReadonlyMap<string, ProviderDevice>;
  readonly error?: string;
  /** The provider has not answered yet (the page shows "asking"). */
  readonly pending?: boolean;
}

const PENDING: ProviderView = { devices: new Map(), pending: true };

export class ProviderStates {
  private cached: { config: Config; at: number; view: ProviderView } | undefined;
  private inFlight: { config: Config; view: Promise<ProviderView> } | undefined;

  constructor(private readonly open: ProviderOpener | undefined) {}

  get available(): boolean {
    return this.open !== undefined;
  }

  async view(config: Config): Promise<ProviderView> {
    if (!this.open) return { devices: new Map() };
    const cached = this.cached?.config === config ? this.cached : undefined;
    if (cached && Date.now() - cached.at < TTL_MS) return cached.view;
    if (this.inFlight?.config !== config) {
      const view = this.fetch(config).catch((error: unknown): ProviderView => ({ devices: new Map(), error: (error as Error).message }));
      this.inFlight = { config, view };
      void view.then((answer) => {
        this.cached = { config, at: Date.now(), view: answer };
        if (this.inFlight?.view === view) this.inFlight = undefined;
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), WAIT_MS)));
    const answer = await Promise.race([this.inFlight.view, waited]).finally(() => clearTimeout(timer));
    return answer ?? cached?.view ?? PENDING;
  }

  /** Forgets the cached view (after an action changed a device). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetch(config: Config): Promise<ProviderView> {
    const provider = await this.open!(config);
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the provider did not answer in ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)));
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
