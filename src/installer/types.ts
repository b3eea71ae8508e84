/** Input of the per-device installer renderers (preseed.ts, kickstart.ts). Pure data. */
import type { DeviceConfig, ImageConfig } from '../config/types.js';
import type { ImageManifest } from '../image/manifest.js';

export interface InstallerRenderInput {
  readonly device: DeviceConfig;
  readonly image: ImageConfig;
  /** The image as built: its kernel arguments are part of the kernel line the answers' console comes from. */
  readonly manifest: ImageManifest;
  /** Public base URL (no trailing slash). */
  readonly baseUrl: string;
  /** The token of the device's armed boot (src/boots/), for the phone-home URL. */
  readonly token: string;
  /** Bond slave MACs: the device's config `macs`, or the provider's network_ports when the config lists none. */
  readonly bondMacs: readonly string[];
  /**
   * The device's data (src/devicedata, contract C) as one line of JSON, bond slaves = bondMacs: the
   * preseed writes it to the installed system's /etc/metalboot/device.json. It holds the token.
   */
  readonly deviceJson?: string;
  /** The template text (from the image's `preseed`/`kickstart` file or the shipped default). */
  readonly template: string;
}
