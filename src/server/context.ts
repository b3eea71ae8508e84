/**
 * What the request handlers share: the current config (swapped on SIGHUP), the server secret,
 * the event store, the logger, caches of manifests and rendered scripts, and who fetched what.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { BootStore } from '../boots/store.js';
import type { Config, DeviceConfig } from '../config/types.js';
import type { EventStore } from '../events/store.js';
import type { ImageManifest } from '../image/manifest.js';
import { AssetCache } from './asset-cache.js';
import { ManifestCache } from './manifest-cache.js';
import { clientAddress } from './logging.js';
import type { PortMacs } from './port-macs.js';
import type { Route } from './route.js';
import { ReplayScheduler } from './replay.js';

export interface AppDeps {
  readonly config: Config;
  readonly secret: string;
  readonly events: EventStore;
  /** Armed boots and their tokens (src/boots/): what authorizeAnswer checks. */
  readonly boots: BootStore;
  readonly logger: Logger;
  /** Bearer token for the upload API (METALBOOT_TOKEN); uploads are refused when unset. */
  readonly uploadToken?: string;
  /** Bearer token that may only read the operator API (METALBOOT_READ_TOKEN). */
  readonly readToken?: string;
  /** Largest accepted asset upload in bytes (default 8 GiB). */
  readonly maxUploadBytes?: number;
  /** Take client addresses from X-Forwarded-For (behind a tunnel or reverse proxy). Default false. */
  readonly trustForwardedFor?: boolean;
  /** Bond slave MACs when the config lists none (the Metal device's network_ports). */
  readonly portMacs?: PortMacs;
  /**
   * Routes a layer above the server adds (the dashboard, src/dashboard): appended to the route
   * table by createApp, so the server never imports them.
   */
  readonly extraRoutes?: readonly Route[];
  /** Live event streams (/api/events) one bearer token may hold open (default 32). */
  readonly maxStreamsPerToken?: number;
}

export const DEFAULT_MAX_STREAMS_PER_TOKEN = 32;

export const DEFAULT_MAX_UPLOAD = 8 * 1024 ** 3;

export class ServerContext {
  config: Config;
  readonly secret: string;
  readonly events: EventStore;
  readonly boots: BootStore;
  readonly logger: Logger;
  readonly uploadToken: string | undefined;
  readonly readToken: string | undefined;
  readonly maxUploadBytes: number;
  readonly trustForwardedFor: boolean;
  readonly portMacs: PortMacs;
  readonly assets: AssetCache;
  readonly manifests: ManifestCache;
  /** Client address → the device whose script it fetched last (asset attribution). */
  readonly lastDeviceByClient = new Map<string, string>();
  /** Device name → rendered script, valid while config, manifest and boot token are unchanged. */
  readonly scripts = new Map<string, { config: Config; manifest: ImageManifest; baseUrl: string; token: string | undefined; body: Buffer }>();
  /** The rendered chain script (/boot.ipxe), valid while the config object is unchanged. */
  chainScript: { config: Config; body: Buffer } | undefined;

  /** Open server-sent-event streams, ended when the server shuts down. */
  readonly streams = new Set<ServerResponse>();
  /** Open event streams per Authorization header (the cap is per bearer token). */
  readonly streamsByToken = new Map<string, number>();
  readonly maxStreamsPerToken: number;
  /** Event-stream history replays, a bounded number of events per event-loop turn. */
  readonly replays: ReplayScheduler;

  constructor(deps: AppDeps) {
    this.config = deps.config;
    this.secret = deps.secret;
    this.events = deps.events;
    this.boots = deps.boots;
    this.logger = deps.logger;
    this.uploadToken = deps.uploadToken || undefined;
    this.readToken = deps.readToken || undefined;
    this.maxUploadBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
    this.trustForwardedFor = deps.trustForwardedFor ?? false;
    this.portMacs = deps.portMacs ?? (async (device) => device.macs);
    this.maxStreamsPerToken = deps.maxStreamsPerToken ?? DEFAULT_MAX_STREAMS_PER_TOKEN;
    this.replays = new ReplayScheduler(deps.events);
    this.assets = new AssetCache(deps.config.server.cacheBytes);
    this.manifests = new ManifestCache();
  }

  get stateDir(): string {
    return this.config.server.stateDir;
  }

  /** Swaps in a reloaded config; requests already running keep the one they started with. */
  setConfig(config: Config): void {
    this.config = config;
    this.manifests.clear();
    this.scripts.clear();
  }

  /** The client address of a request (X-Forwarded-For only when trusted). */
  clientOf(req: IncomingMessage): string {
    return clientAddress(req, this.trustForwardedFor);
  }

  /** Remembers which device a client address is booting, for attributing shared asset fetches. */
  noteClient(client: string, device: DeviceConfig): void {
    if (this.lastDeviceByClient.size > 100_000) this.lastDeviceByClient.clear();
    this.lastDeviceByClient.set(client, device.name);
  }
}
