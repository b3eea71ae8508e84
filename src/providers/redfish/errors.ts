/**
 * Redfish failures as ProviderErrors: the message names the device, what was being done, the
 * HTTP status and the service's own MessageIds; never a credential or a token.
 */
import { ProviderError } from '../../errors.js';
import type { ErrorCode } from '../../errors.js';

export interface RedfishErrorDetails {
  readonly device: string;
  /** What we were doing: "read the system", "set the boot override", "reset (ForceRestart)". */
  readonly action: string;
  readonly status?: number;
  /** The service's MessageIds (`@Message.ExtendedInfo`), e.g. Base.1.5.0.PropertyMissing. */
  readonly messageIds?: readonly string[];
  /** True when the request may or may not have been carried out (no answer, 5xx). */
  readonly ambiguous?: boolean;
  readonly hint?: string;
  readonly code?: ErrorCode;
  readonly cause?: unknown;
}

export class RedfishError extends ProviderError {
  readonly device: string;
  readonly action: string;
  readonly messageIds: readonly string[];
  readonly ambiguous: boolean;

  constructor(message: string, details: RedfishErrorDetails) {
    super(message, {
      code: details.code ?? 'E_REDFISH',
      ...(details.status === undefined ? {} : { status: details.status }),
      ...(details.hint === undefined ? {} : { hint: details.hint }),
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.device = details.device;
    this.action = details.action;
    this.messageIds = details.messageIds ?? [];
    this.ambiguous = details.ambiguous ?? false;
  }

  /** Whether the service said this (by the MessageId's last part, whatever its registry and version). */
  says(key: string): boolean {
    return this.messageIds.some((id) => id.split('.').at(-1) === key);
  }
}

/** The MessageIds of an error body (`error.@Message.ExtendedInfo[].MessageId`, else `error.code`). */
export function messageIdsOf(body: unknown): string[] {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return [];
  const info = (error as Record<string, unknown>)['@Message.ExtendedInfo'];
  const ids = Array.isArray(info) ? info.map((item: { MessageId?: unknown }) => item?.MessageId).filter((id): id is string => typeof id === 'string') : [];
  const code = (error as { code?: unknown }).code;
  return ids.length > 0 ? ids.map(clean) : typeof code === 'string' ? [clean(code)] : [];
}

/** A device-supplied string, printable and bounded. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 200);
}

export function httpError(details: RedfishErrorDetails & { status: number }): RedfishError {
  const said = details.messageIds && details.messageIds.length > 0 ? ` (${details.messageIds.join(', ')})` : '';
  const base = `the BMC of ${details.device} refused to ${details.action}: HTTP ${details.status}${said}`;
  if (details.status === 401) {
    return new RedfishError(`${base}; the credentials were not accepted`, { ...details, code: 'E_REDFISH_AUTH', hint: 'check the username and password the bmc section of this device names (environment variables or credentials_file)' });
  }
  if (details.status === 403) return new RedfishError(`${base}; this account may not do that`, { ...details, code: 'E_REDFISH_FORBIDDEN', hint: 'give the BMC account the Operator or Administrator role' });
  if (details.status === 404) return new RedfishError(`${base}; not found`, { ...details, code: 'E_REDFISH_NOT_FOUND', hint: 'check bmc.url and bmc.system of this device' });
  if (details.status >= 500) return new RedfishError(`${base}; the BMC failed on its side`, { ...details, code: 'E_REDFISH_SERVER', ambiguous: true, hint: details.hint ?? 'retry later; BMCs are often busy right after a reset' });
  return new RedfishError(base, { ...details, hint: details.hint ?? 'see what the BMC says in the MessageIds' });
}

export function networkError(details: RedfishErrorDetails & { url: string; timedOut: boolean }): RedfishError {
  const cause = details.cause instanceof Error ? ((details.cause as { cause?: { code?: string; message?: string } }).cause?.code ?? details.cause.message) : String(details.cause);
  const what = details.timedOut ? 'timed out' : `failed (${clean(cause)})`;
  return new RedfishError(`${details.action} on the BMC of ${details.device} ${what} talking to ${details.url}`, {
    ...details,
    code: details.timedOut ? 'E_REDFISH_TIMEOUT' : 'E_REDFISH_NETWORK',
    ambiguous: true,
    hint: 'check bmc.url, the network path to the BMC and its TLS settings (tls.ca_file or insecure)',
  });
}
