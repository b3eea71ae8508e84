/**
 * One HTTP exchange with a BMC: JSON in and out, a timeout on every request, answers bounded in size,
 * TLS from the device's config (system CAs, a CA file, or explicitly insecure). Headers carrying
 * secrets (Authorization, X-Auth-Token) are never recorded or logged; `onCall` sees method, path,
 * status and timing only.
 */
import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import type { Dispatcher } from 'undici';
import type { BmcConfig } from '../../config/types.js';
import { ConfigError } from '../../errors.js';
import { RedfishError, clean, networkError } from './errors.js';

export interface RedfishCall {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly error?: string;
  readonly ifMatch?: string;
  /** When the request started and how long it took (ms). */
  readonly startedAt: number;
  readonly ms: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface HttpOptions {
  readonly baseUrl: string;
  readonly device: string;
  readonly timeoutMs: number;
  readonly dispatcher?: Dispatcher;
  readonly onCall?: (call: RedfishCall) => void;
  readonly now?: () => number;
}

const MAX_BODY = 4 * 1024 * 1024;

/** The undici dispatcher for a BMC's TLS settings (undefined: the default, system CAs). */
export function dispatcherFor(bmc: BmcConfig): Dispatcher | undefined {
  if (bmc.tls.kind === 'insecure') return new Agent({ connect: { rejectUnauthorized: false } });
  if (bmc.tls.kind === 'ca') {
    let ca: Buffer;
    try {
      ca = readFileSync(bmc.tls.caFile);
    } catch (error) {
      throw new ConfigError(`${bmc.source}: bmc.tls.ca_file ${bmc.tls.caFile} cannot be read: ${(error as Error).message}`, { hint: 'point ca_file at the PEM certificate of the CA that signed the BMC certificate', cause: error });
    }
    return new Agent({ connect: { ca } });
  }
  return undefined;
}

export async function exchange(
  options: HttpOptions,
  request: { method: string; path: string; body?: unknown; headers?: Record<string, string>; action: string },
): Promise<HttpAnswer> {
  const now = options.now ?? Date.now;
  const url = sameOriginUrl(options, request.path, request.action);
  const startedAt = now();
  const ifMatch = request.headers?.['If-Match'];
  const record = (extra: { status?: number; error?: string }) =>
    options.onCall?.({ method: request.method, path: new URL(url).pathname, ...extra, ...(ifMatch === undefined ? {} : { ifMatch }), startedAt, ms: now() - startedAt });
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: { Accept: 'application/json', 'OData-Version': '4.0', ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...request.headers },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const body = await readBody(response);
    record({ status: response.status });
    return { status: response.status, headers: response.headers as unknown as Headers, body };
  } catch (cause) {
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    const error = networkError({ device: options.device, action: request.action, url: `${request.method} ${new URL(url).origin}${new URL(url).pathname}`, timedOut, cause });
    record({ error: error.code });
    throw error;
  }
}

/**
 * The URL of a path the BMC handed out (a link, a Location): it must stay on the BMC's own origin, or
 * the session token and password would be sent wherever a hostile answer points.
 */
export function sameOriginUrl(options: Pick<HttpOptions, 'baseUrl' | 'device'>, path: string, action: string): string {
  let url: URL;
  try {
    url = new URL(path, options.baseUrl);
  } catch {
    url = new URL('http://invalid.invalid');
  }
  if (url.origin !== new URL(options.baseUrl).origin) {
    throw new RedfishError(`the BMC of ${options.device} pointed "${action}" at ${clean(url.origin)}, not at itself; not following it`, {
      device: options.device, action, code: 'E_REDFISH_FOREIGN_LINK', hint: 'a BMC answer carried a link to another host; check bmc.url and the BMC firmware',
    });
  }
  return url.toString();
}

async function readBody(response: { text(): Promise<string>; headers: { get(name: string): string | null }; body: { cancel(): Promise<void> } | null }): Promise<unknown> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_BODY) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  const text = await response.text().catch(() => '');
  if (text === '' || text.length > MAX_BODY) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
