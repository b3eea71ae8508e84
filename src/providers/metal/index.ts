/**
 * The Equinix Metal provider from the environment and the config:
 * METAL_AUTH_TOKEN (environment only — never an argument), METAL_PROJECT_ID or metal.project_id,
 * METAL_API_URL / --api-url or metal.api_url (default https://api.equinix.com/metal/v1).
 */
import type { ProviderContext } from '../provider.js';
import { MetalClient } from './client.js';
import type { MetalClientOptions } from './client.js';
import { MetalProvider } from './provider.js';

export { MetalClient, DEFAULT_METAL_API_URL, MAX_PER_PAGE } from './client.js';
export type { MetalClientOptions } from './client.js';
export { describeMetalCall, MetalProvider, toProviderDevice } from './provider.js';
export { MetalApiError } from './errors.js';
export type * from './types.js';

export type { ProviderContext } from '../provider.js';

/** A ProviderContext plus client options (tests). */
export interface MetalProviderContext extends ProviderContext {
  readonly client?: Partial<MetalClientOptions>;
}

export function createMetalClient(context: MetalProviderContext = {}): MetalClient {
  const env = context.env ?? process.env;
  const apiUrl = context.apiUrl ?? env.METAL_API_URL ?? context.config?.metal.apiUrl;
  const projectId = env.METAL_PROJECT_ID ?? context.config?.metal.projectId;
  return new MetalClient({
    token: env.METAL_AUTH_TOKEN ?? '',
    ...(apiUrl ? { apiUrl } : {}),
    ...(projectId ? { projectId } : {}),
    ...(context.log ? { log: context.log } : {}),
    ...context.client,
  });
}

/** Provider factory convention: src/providers/<name>/index.ts exports createProvider(context). */
export function createProvider(context: MetalProviderContext = {}): MetalProvider {
  return new MetalProvider(createMetalClient(context), context.log ? { log: context.log } : {});
}
