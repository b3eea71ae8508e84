/**
 * Metal API failures as ProviderErrors whose message names the action, the device, the HTTP status
 * and the API's own `error`/`errors` text, with a hint saying what to do. Never includes the token.
 */
import type { ErrorCode } from '../../errors.js';
import { ProviderError } from '../../errors.js';

export interface MetalErrorDetails {
  /** What we were doing, e.g. "reboot", "get device", "list devices". */
  readonly action: string;
  readonly device?: string;
  readonly status?: number;
  /** The API's `error` / `errors` texts. */
  readonly apiErrors?: readonly string[];
  /** True when the request may or may not have been applied (network error, timeout, 5xx). */
  readonly ambiguous?: boolean;
  readonly cause?: unknown;
}

export class MetalApiError extends ProviderError {
  readonly action: string;
  readonly device: string | undefined;
  readonly apiErrors: readonly string[];
  readonly ambiguous: boolean;

  constructor(message: string, details: MetalErrorDetails & { hint?: string; code?: ErrorCode }) {
    super(message, {
      code: details.code ?? 'E_METAL_API',
      ...(details.status === undefined ? {} : { status: details.status }),
      ...(details.hint === undefined ? {} : { hint: details.hint }),
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.action = details.action;
    this.device = details.device;
    this.apiErrors = details.apiErrors ?? [];
    this.ambiguous = details.ambiguous ?? false;
  }
}

/** Pulls `error` / `errors` out of an API error body (the spec's Error schema). */
export function apiErrorTexts(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as { error?: unknown; errors?: unknown };
  const texts: string[] = [];
  if (typeof record.error === 'string' && record.error.trim() !== '') texts.push(record.error.trim());
  if (Array.isArray(record.errors)) {
    for (const item of record.errors) if (typeof item === 'string' && item.trim() !== '') texts.push(item.trim());
  }
  return texts;
}

function subject(details: MetalErrorDetails): string {
  return details.device === undefined ? details.action : `${details.action} of device ${details.device}`;
}

/** The error for an HTTP answer that is not a success. */
export function httpError(details: MetalErrorDetails & { status: number }): MetalApiError {
  const said = details.apiErrors && details.apiErrors.length > 0 ? `: ${details.apiErrors.join('; ')}` : '';
  const base = `Equinix Metal API refused the ${subject(details)} (HTTP ${details.status})${said}`;
  const { status } = details;
  if (status === 401) {
    return new MetalApiError(`${base}; the API token was not accepted`, {
      ...details,
      code: 'E_METAL_AUTH',
      hint: 'check METAL_AUTH_TOKEN: it must be a valid Equinix Metal API key (console → Personal API keys)',
    });
  }
  if (status === 403) {
    return new MetalApiError(`${base}; the API token may not do this`, {
      ...details,
      code: 'E_METAL_FORBIDDEN',
      hint: 'check that METAL_AUTH_TOKEN belongs to a user or project key with access to this project and device',
    });
  }
  if (status === 404) {
    const what = details.device === undefined ? 'the project id (METAL_PROJECT_ID or metal.project_id)' : `the device id ${details.device}`;
    return new MetalApiError(`${base}; not found`, {
      ...details,
      code: 'E_METAL_NOT_FOUND',
      hint: `check ${what}; "metalboot devices" lists the devices this token can see`,
    });
  }
  if (status === 422) {
    return new MetalApiError(base, {
      ...details,
      code: 'E_METAL_UNPROCESSABLE',
      hint: said === '' ? 'the API rejected the request without saying why; check the device state in the Metal console' : `fix what the API says${said}`,
    });
  }
  if (status === 429) {
    return new MetalApiError(`${base}; rate limited and still limited after retrying`, {
      ...details,
      code: 'E_METAL_RATE_LIMIT',
      hint: 'wait a minute and run the command again; fewer parallel metalboot runs help',
    });
  }
  if (status >= 500) {
    return new MetalApiError(`${base}; the API failed on its side`, {
      ...details,
      code: 'E_METAL_SERVER',
      ambiguous: details.ambiguous ?? true,
      hint: 'retry later; see https://status.equinixmetal.com',
    });
  }
  return new MetalApiError(base, { ...details, hint: 'check the request against the Equinix Metal API documentation' });
}

/** The error for a request that got no answer (network error, connection dropped, timeout). */
export function networkError(details: MetalErrorDetails & { url: string; timedOut: boolean }): MetalApiError {
  const reason = details.timedOut ? 'timed out' : `failed (${causeText(details.cause)})`;
  return new MetalApiError(`the ${subject(details)} ${reason} talking to ${details.url}`, {
    ...details,
    code: details.timedOut ? 'E_METAL_TIMEOUT' : 'E_METAL_NETWORK',
    ambiguous: true,
    hint: 'check the network and METAL_API_URL / --api-url; the API may be slow, try again',
  });
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = inner && typeof inner === 'object' && 'code' in inner ? String((inner as { code: unknown }).code) : undefined;
    return code ?? cause.message;
  }
  return String(cause);
}
