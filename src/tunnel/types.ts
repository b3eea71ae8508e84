/** A public tunnel to the local server (ngrok today); behind an interface so tests use a fake. */

export interface Tunnel {
  /** Public base URL devices can reach, e.g. https://abcd.ngrok.app (no trailing slash). */
  readonly url: string;
  close(): Promise<void>;
}

export interface TunnelTarget {
  readonly host: string;
  readonly port: number;
}

export type TunnelOpener = (target: TunnelTarget, env: NodeJS.ProcessEnv) => Promise<Tunnel>;
