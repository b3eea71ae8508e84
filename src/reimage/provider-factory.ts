/**
 * Picks the Provider for --provider NAME. Convention: src/providers/<name>/index.ts exports
 * `createProvider(context): Provider | Promise<Provider>` (the QEMU provider plugs in the same way).
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config/types.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { createProvider as createMetalProvider } from '../providers/metal/index.js';
import type { ProviderContext } from '../providers/metal/index.js';
import type { Provider } from '../providers/provider.js';

export const PROVIDERS = ['metal', 'qemu'] as const;

export async function loadProvider(name: string, context: ProviderContext): Promise<Provider> {
  if (name === 'metal') return createMetalProvider(context);
  if (!(PROVIDERS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown provider "${name}"; expected one of ${PROVIDERS.join(', ')}`);
  }
  let module: { createProvider?: (context: ProviderContext) => Provider | Promise<Provider> };
  try {
    module = (await import(`../providers/${name}/index.js`)) as typeof module;
  } catch {
    module = {};
  }
  if (typeof module.createProvider !== 'function') {
    throw new UsageError(`the ${name} provider is not available in this build`, { hint: 'use --provider metal' });
  }
  return module.createProvider(context);
}

/** The config when one is named (--config, $METALBOOT_CONFIG) or ./metalboot.yaml exists; else none. */
export async function loadOptionalConfig(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Config | undefined> {
  const named = option ?? env.METALBOOT_CONFIG;
  if (named !== undefined) return loadConfig(named);
  return existsSync('metalboot.yaml') ? loadConfig('metalboot.yaml') : undefined;
}
