/**
 * One Metal API request: X-Auth-Token, JSON, a timeout on every call, and retries with
 * exponential backoff + jitter on 429 (honouring Retry-After), 5xx and network errors — only
 * for requests marked `retry: 'safe'` (reads and idempotent updates). Actions pass `'rate-limit'`:
 * a 429 means "not processed" and is retried; anything ambiguous is thrown for the caller to judge.
 */
import { apiErrorTexts, httpError, networkError } from './errors.js';
import { trimBase } from '../../util/url.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  readonly token: string;
  readonly apiUrl: string;
  readonly fetch: FetchLike;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Debug lines (never contain the token). */
  readonly log: (line: string) => void;
  /** Called for every attempt, for --json summaries and tests. */
  readonly onCall?: (call: ApiCall) => void;
}

export interface ApiCall {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status?: number;
  readonly error?: string;
  readonly attempt: number;
}

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly action: string;
  readonly device?: string;
  readonly retry: 'safe' | 'rate-limit';
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

export function buildUrl(apiUrl: string, path: string, query?: ApiRequest['query']): string {
  const url = new URL(`${trimBase(apiUrl)}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** Delay before retry number `attempt` (1-based): full jitter over an exponential cap, or Retry-After. */
export function backoffMs(options: Pick<HttpOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), options.maxDelayMs * 4);
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + options.random() * (cap / 2));
}

/** Retry-After: seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export async function apiRequest(options: HttpOptions, request: ApiRequest): Promise<ApiResponse> {
  const url = buildUrl(options.apiUrl, request.path, request.query);
  const shown = `${request.method} ${new URL(url).pathname}${new URL(url).search}`;
  for (let attempt = 1; ; attempt++) {
    const last = attempt > options.retries;
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: request.method,
        headers: {
          'X-Auth-Token': options.token,
          Accept: 'application/json',
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      const error = networkError({ action: request.action, ...deviceOf(request), url: `${request.method} ${new URL(url).origin}${new URL(url).pathname}`, timedOut, cause });
      options.onCall?.({ method: request.method, path: shown, ...bodyOf(request), error: error.code, attempt });
      if (request.retry !== 'safe' || last) throw error;
      const delay = backoffMs(options, attempt);
      options.log(`${shown}: ${error.code}; retry ${attempt}/${options.retries} in ${delay} ms`);
      await options.sleep(delay);
      continue;
    }
    const body = await readBody(response);
    options.onCall?.({ method: request.method, path: shown, ...bodyOf(request), status: response.status, attempt });
    if (response.ok) return { status: response.status, body };
    const retryable = response.status === 429 || (response.status >= 500 && request.retry === 'safe');
    if (!retryable || last) {
      throw httpError({ action: request.action, ...deviceOf(request), status: response.status, apiErrors: apiErrorTexts(body) });
    }
    const retryAfter = response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    const delay = backoffMs(options, attempt, retryAfter);
    options.log(`${shown}: HTTP ${response.status}; retry ${attempt}/${options.retries} in ${delay} ms`);
    await options.sleep(delay);
  }
}

function deviceOf(request: ApiRequest): { device?: string } {
  return request.device === undefined ? {} : { device: request.device };
}

function bodyOf(request: ApiRequest): { body?: unknown } {
  return request.body === undefined ? {} : { body: request.body };
}

async function readBody(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { error: text.slice(0, 200) };
  }
}
