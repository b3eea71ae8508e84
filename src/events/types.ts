/** Boot events recorded by the server and followed by `reimage --wait` (SSE on /api/events). */

export type BootEventKind =
  | 'script'      // the device fetched its iPXE script
  | 'kernel'      // … its kernel
  | 'initrd'      // … its initrd
  | 'asset'       // any other asset
  | 'preseed'
  | 'kickstart'
  | 'device-data' // a RAM image's per-device data (second initrd)
  | 'phone-home'; // POST /events/<device> from the installer or the OS

/**
 * What a device reports about itself: `running` (an installer at work), `installed` (the installer
 * finished; the next boot is from disk), `booted` (the OS is up, with facts), `failed`.
 * `succeeded` is what older templates send; it means `installed`.
 */
export type PhoneHomeState = 'running' | 'installed' | 'booted' | 'failed' | 'succeeded';

export const PHONE_HOME_STATES: readonly PhoneHomeState[] = ['running', 'installed', 'booted', 'failed', 'succeeded'];

/** Facts a booted system reports (kernel line, bond0, addresses…): a flat-ish JSON object from outside. */
export type BootFacts = Readonly<Record<string, unknown>>;

export interface BootEvent {
  readonly id: number;
  readonly device: string;
  /** ISO 8601 time. */
  readonly time: string;
  readonly kind: BootEventKind;
  readonly path?: string;
  readonly bytes?: number;
  readonly client?: string;
  readonly state?: PhoneHomeState;
  readonly message?: string;
  /** With state `booted` (or `installed`): what the system says about itself, bounded JSON. */
  readonly facts?: BootFacts;
}
