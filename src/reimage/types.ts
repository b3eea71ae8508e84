/** Shapes of the provider-independent re-image flow (src/reimage). */
import type { CallRecord, ProviderDevice } from '../providers/provider.js';

/** What the device should boot next. */
export type ReimageTarget =
  | {
      readonly kind: 'ipxe';
      /** The device's own script URL (`${publicUrl}/ipxe/<device>`). */
      readonly scriptUrl: string;
      /** Every URL to check before touching the device (the script URL and all it fetches). */
      readonly checkUrls: readonly string[];
      /** Installer images (debian, alma) turn always_pxe off after a successful install; RAM images keep it on. */
      readonly installer: boolean;
      /**
       * always_pxe once the image is up: false turns it off after success (installers by default),
       * true keeps it on (RAM images by default). The device's `always_pxe` in the config; `auto` is !installer.
       */
      readonly alwaysPxeAfter: boolean;
      /** The booted system posts `booted` by itself (installed systems, rootfs RAM images): --wait waits for it by default. */
      readonly reportsBooted?: boolean;
    }
  | {
      readonly kind: 'os';
      /** A stock operating system slug, e.g. `debian_12`. */
      readonly operatingSystem: string;
      /** cloud-init or `#!/bin/bash` user data set before the reinstall. */
      readonly userdata?: string;
    };

export interface ResolvedDevice {
  /** The provider's id (Metal UUID). */
  readonly id: string;
  /** The device's name in metalboot.yaml, when it has one (boot events are recorded under it). */
  readonly name?: string;
  readonly device: ProviderDevice;
}

export interface PhaseRecord {
  readonly phase: string;
  /** ISO time. */
  readonly at: string;
  /** Milliseconds since the first change to the device. */
  readonly elapsedMs: number;
  readonly detail?: string;
}

export type ReimageResult = 'succeeded' | 'failed' | 'timeout' | 'started' | 'dry-run';

export interface ReimageSummary {
  readonly device: { readonly id: string; readonly name?: string; readonly hostname: string };
  readonly provider: string;
  /** `reboot` (already custom_ipxe), `reinstall` (to custom_ipxe) or `os` (stock OS). */
  readonly path: 'reboot' | 'reinstall' | 'os';
  readonly calls: readonly CallRecord[];
  readonly phases: readonly PhaseRecord[];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly totalMs: number;
  readonly result: ReimageResult;
  readonly message?: string;
  /** The command to look at the device's serial console. */
  readonly console: string;
}
