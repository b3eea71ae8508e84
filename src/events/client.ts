/**
 * Client of the server's event API, for `reimage --wait` and scripts:
 *   fetchEvents   GET /api/devices/<device>/events  → the stored timeline
 *   followEvents  GET /api/events?device=&since=    → server-sent events, reconnecting with Last-Event-ID
 * The API needs a bearer token: `token` (METALBOOT_TOKEN or METALBOOT_READ_TOKEN, see
 * operatorToken); a refusal (401) is an error that says which variable to set.
 */
import { MetalbootError } from '../errors.js';
import { trimBase } from '../util/url.js';
import { SseParser } from './sse.js';
import type { BootEvent } from './types.js';
import { setTimeout as delay } from 'node:timers/promises';

/** The bearer token an operator client sends: METALBOOT_TOKEN, else METALBOOT_READ_TOKEN. */
export function operatorToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.METALBOOT_TOKEN || env.METALBOOT_READ_TOKEN || undefined;
}

function authHeaders(token: string | undefined, accept: string): Record<string, string> {
  return { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

const UNAUTHORIZED_HINT = 'set METALBOOT_TOKEN (or METALBOOT_READ_TOKEN) to the value the server was started with';

export async function fetchEvents(baseUrl: string, device: string, init: { signal?: AbortSignal; token?: string | undefined } = {}): Promise<BootEvent[]> {
  const url = `${trimBase(baseUrl)}/api/devices/${encodeURIComponent(device)}/events`;
  let response: Response;
  try {
    response = await fetch(url, { signal: init.signal, headers: authHeaders(init.token, 'application/json') });
  } catch (error) {
    throw new MetalbootError(`cannot reach the metalboot server at ${trimBase(baseUrl)}: ${(error as Error).message}`, {
      code: 'E_EVENTS',
      hint: 'is `metalboot serve` running, and is the URL right?',
      cause: error,
    });
  }
  if (!response.ok) {
    throw new MetalbootError(`${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`, {
      code: 'E_EVENTS', ...(response.status === 401 ? { hint: UNAUTHORIZED_HINT } : {}),
    });
  }
  return (await response.json()) as BootEvent[];
}

export interface FollowOptions {
  /** Only this device's events (name as in the config). */
  readonly device?: string;
  /** Replay stored events after this event id, or at/after this ISO time, before the live ones. */
  readonly since?: number | string;
  /** Stops following; the promise then resolves. */
  readonly signal: AbortSignal;
  /** Pause before reconnecting after the stream drops (ms, default 1000). */
  readonly retryMs?: number;
  /** Bearer token of the events API (operatorToken). */
  readonly token?: string | undefined;
  /** Called on each failed connection attempt (for logging); following continues. */
  readonly onError?: (error: Error) => void;
}

/** Streams events to `onEvent` until `signal` aborts; reconnects and resumes after the last id seen. */
export async function followEvents(baseUrl: string, options: FollowOptions, onEvent: (event: BootEvent) => void): Promise<void> {
  const { signal } = options;
  let lastId: number | undefined = typeof options.since === 'number' ? options.since : undefined;
  let since = options.since;
  while (!signal.aborted) {
    try {
      const params = new URLSearchParams();
      if (options.device !== undefined) params.set('device', options.device);
      if (lastId !== undefined) params.set('since', String(lastId));
      else if (since !== undefined) params.set('since', String(since));
      const headers = authHeaders(options.token, 'text/event-stream');
      if (lastId !== undefined) headers['last-event-id'] = String(lastId);
      const response = await fetch(`${trimBase(baseUrl)}/api/events?${params.toString()}`, { signal, headers });
      if (response.status === 401) throw new Error(`GET /api/events answered 401: ${UNAUTHORIZED_HINT}`);
      if (!response.ok || !response.body) throw new Error(`GET /api/events answered ${response.status}`);
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (message.event !== 'boot') continue;
          const event = JSON.parse(message.data) as BootEvent;
          if (lastId !== undefined && event.id <= lastId) continue;
          lastId = event.id;
          since = undefined;
          onEvent(event);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      options.onError?.(error as Error);
    }
    await delay(options.retryMs ?? 1000, undefined, { signal }).catch(() => {});
  }
}
