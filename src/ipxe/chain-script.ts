/** The shared chain script (`/boot.ipxe`): MAC first, then SMBIOS UUID. Pure. */
import { checkScriptUrl } from './escape.js';
import { fillTemplate } from '../util/template.js';
import type { IpxeTemplates } from './templates.js';
import { loadTemplates } from './templates.js';
import { DEFAULT_RETRIES, DEFAULT_RETRY_DELAY } from './device-script.js';
import { trimBase } from '../util/url.js';

export function renderChainScript(baseUrl: string, options: { retries?: number; retryDelaySeconds?: number; templates?: IpxeTemplates } = {}): string {
  const templates = options.templates ?? loadTemplates();
  return fillTemplate(
    templates.chain,
    {
      base_url: checkScriptUrl(trimBase(baseUrl), 'base URL'),
      retries: String(options.retries ?? DEFAULT_RETRIES),
      delay: String(options.retryDelaySeconds ?? DEFAULT_RETRY_DELAY),
      fail_delay: '30',
    },
    'ipxe/chain.ipxe',
  );
}
