/**
 * The one gate for a device's answers (installer preseed/kickstart, per-device data, phone-home):
 * the device must exist, be armed (src/boots/: `reimage` or `metalboot arm`), and the request must
 * carry a token of that boot — from the address it was bound to, when it was minted for a script
 * fetched by MAC or UUID. Anything else gets the same 404, so one device cannot read another's
 * answers, an unarmed device's answers cannot be read at all, and nobody learns which devices exist.
 * Every route that hands out a device's secrets or accepts its reports calls this and nothing else.
 */
import type { ArmedBoot } from '../boots/store.js';
import { deviceByName } from '../config/lookup.js';
import type { DeviceConfig } from '../config/types.js';
import { noteSecret } from './logging.js';
import type { RouteCall } from './route.js';
import { queryValue } from './route.js';

export interface AuthorizedAnswer {
  readonly device: DeviceConfig;
  /** The token to render into URLs the answer itself contains (phone-home, data). */
  readonly token: string;
  readonly boot: ArmedBoot;
}

/** The device and its boot's token when the call is authorized for `name`, else undefined (→ 404). */
export function authorizeAnswer(call: RouteCall, name: string): AuthorizedAnswer | undefined {
  const { ctx, req, res } = call;
  const token = queryValue(call, 'token');
  if (token !== undefined) noteSecret(res, token);
  const device = deviceByName(ctx.config, name);
  if (!device || token === undefined) return undefined;
  const boot = ctx.boots.authorize(device.name, token, ctx.clientOf(req));
  return boot ? { device, token, boot } : undefined;
}

/** Image types that boot from RAM on every PXE boot: their script is served unarmed, without answer URLs. */
const ALWAYS_PXE_TYPES: ReadonlySet<string> = new Set(['rootfs', 'linuxkit']);

export type ScriptGrant = { readonly token: string | undefined } | undefined;

/**
 * Whether `device`'s script may be served for this call, and the token it carries: the `?token=` of
 * the device's armed boot (the URL the provider was given), else a token minted for this fetch and
 * bound to the fetching address (a script reached by MAC or UUID through /boot.ipxe). An unarmed
 * RAM image gets its script with no token (no answer URLs); any other unarmed device, undefined (→ 404).
 */
export function authorizeScript(call: RouteCall, device: DeviceConfig): ScriptGrant {
  const { ctx, req, res } = call;
  const client = ctx.clientOf(req);
  const given = queryValue(call, 'token');
  if (given !== undefined) noteSecret(res, given);
  if (given !== undefined && ctx.boots.authorize(device.name, given, client)) return { token: given };
  const bound = ctx.boots.mintBound(device.name, client);
  if (bound !== undefined) return { token: bound };
  const image = Object.hasOwn(ctx.config.images, device.image) ? ctx.config.images[device.image] : undefined;
  return image && ALWAYS_PXE_TYPES.has(image.type) ? { token: undefined } : undefined;
}
