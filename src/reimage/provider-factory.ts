/**
 * Picks the Provider for --provider NAME. Convention: src/providers/<name>/index.ts exports
 * `createProvider(context): Provider | Promise<Provider>`.
 */
import type { Config } from '../config/types.js';
import { discoverConfig } from '../config/discover.js';
import { UsageError } from '../errors.js';
import type { Provider, ProviderContext } from '../providers/provider.js';

type ProviderModule = { createProvider(context: ProviderContext): Provider | Promise<Provider> };

const LOADERS: Record<string, () => Promise<ProviderModule>> = {
  metal: () => import('../providers/metal/index.js'),
  qemu: () => import('../providers/qemu/index.js'),
  redfish: () => import('../providers/redfish/index.js'),
};

export const PROVIDERS = Object.keys(LOADERS);

export async function loadProvider(name: string, context: ProviderContext): Promise<Provider> {
  const load = LOADERS[name];
  if (!load) throw new UsageError(`unknown provider "${name}"; expected one of ${PROVIDERS.join(', ')}`);
  return (await load()).createProvider(context);
}

/** The config when one is named (--config, $METALBOOT_CONFIG) or ./metalboot.yaml exists; else none. */
export async function loadOptionalConfig(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Config | undefined> {
  return discoverConfig({ option, env }, 'optional');
}

/** The command-line options every provider command shares. */
export interface OpenProviderOptions {
  readonly provider: string;
  readonly config?: string | undefined;
  readonly apiUrl?: string | undefined;
  readonly log?: ((line: string) => void) | undefined;
  /** The environment the provider reads its credentials from (default: the process's). */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/** The optional config and the provider a command's --provider/--config/--api-url name. */
export async function openProvider(options: OpenProviderOptions): Promise<{ config: Config | undefined; provider: Provider }> {
  const config = await loadOptionalConfig(options.config, options.env);
  const provider = await loadProvider(options.provider, {
    ...(config ? { config } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { config, provider };
}
