/**
 * Per-device tokens for endpoints that hand out secrets (preseed, kickstart, phone-home):
 * HMAC-SHA256 of the device name under the server secret, hex, first 32 characters.
 * The renderer puts it into the device's own script; one device cannot guess another's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function deviceToken(secret: string, device: string): string {
  return createHmac('sha256', secret).update(`metalboot-device:${device}`).digest('hex').slice(0, 32);
}

export function checkDeviceToken(secret: string, device: string, token: string | undefined): boolean {
  if (typeof token !== 'string') return false;
  const expected = Buffer.from(deviceToken(secret, device));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Hides device tokens (`token=…` in preseed/phone-home URLs) in text shown to people: consoles, reports. */
export function redactTokens(text: string): string {
  return text.replace(/token=[^&\s]+/g, 'token=REDACTED');
}
