/**
 * Every URL a device is given, built from the public base URL. The server routes exactly these.
 * Pure. `token` is the per-device token (src/config/device-token.ts).
 */
import type { AssetRef } from '../image/manifest.js';
import { assetPath } from '../image/manifest.js';
import { trimBase } from '../util/url.js';

export interface DeviceUrls {
  /** GET: the device's own iPXE script. */
  readonly script: string;
  /** GET: the per-device Debian preseed (secret-bearing: token required). */
  readonly preseed: string;
  /** GET: the per-device AlmaLinux kickstart (token required). */
  readonly kickstart: string;
  /** POST {state, message}: installer/OS phone-home (token required). */
  readonly events: string;
}

export function deviceUrls(baseUrl: string, device: string, token: string): DeviceUrls {
  const base = trimBase(baseUrl);
  const name = encodeURIComponent(device);
  const query = `?token=${encodeURIComponent(token)}`;
  return {
    script: `${base}/ipxe/${name}`,
    preseed: `${base}/preseed/${name}.cfg${query}`,
    kickstart: `${base}/kickstart/${name}.ks${query}`,
    events: `${base}/events/${name}${query}`,
  };
}

export function assetUrl(baseUrl: string, asset: AssetRef): string {
  return `${trimBase(baseUrl)}${assetPath(asset)}`;
}

/** The local partial mirror of a debian image, as `metalboot serve` serves it (src/server/routes/mirror.ts). */
export function mirrorUrl(baseUrl: string, image: string): string {
  return `${trimBase(baseUrl)}/mirror/${encodeURIComponent(image)}`;
}

/** Where an installed system's metalboot files are served (src/server/routes/os-files.ts). */
export function osFilesUrl(baseUrl: string): string {
  return `${trimBase(baseUrl)}/os-files`;
}
