/**
 * The one gate for a device's answers (installer preseed/kickstart, per-device data, phone-home):
 * the device must exist and the request must carry the token of its current boot. Anything else
 * gets the same 404, so one device cannot read another's answers nor learn which devices exist.
 * Every route that hands out a device's secrets or accepts its reports calls this and nothing else.
 */
import { checkDeviceToken, deviceToken } from '../config/device-token.js';
import type { DeviceConfig } from '../config/types.js';
import type { RouteCall } from './route.js';
import { queryValue } from './route.js';

export interface AuthorizedAnswer {
  readonly device: DeviceConfig;
  /** The token to render into URLs the answer itself contains (phone-home, data). */
  readonly token: string;
}

/** The device and its boot's token when the call is authorized for `name`, else undefined (→ 404). */
export function authorizeAnswer(call: RouteCall, name: string): AuthorizedAnswer | undefined {
  const { ctx } = call;
  const devices = ctx.config.devices;
  const device = Object.hasOwn(devices, name) ? devices[name] : undefined;
  if (!device || !checkDeviceToken(ctx.secret, device.name, queryValue(call, 'token'))) return undefined;
  return { device, token: deviceToken(ctx.secret, device.name) };
}
