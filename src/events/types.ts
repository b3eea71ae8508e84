/** Boot events recorded by the server and followed by `reimage --wait` (SSE on /api/events). */

export type BootEventKind =
  | 'script'      // the device fetched its iPXE script
  | 'kernel'      // … its kernel
  | 'initrd'      // … its initrd
  | 'asset'       // any other asset
  | 'preseed'
  | 'kickstart'
  | 'phone-home'; // POST /events/<device> from the installer or the OS

export type PhoneHomeState = 'running' | 'succeeded' | 'failed';

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
}
