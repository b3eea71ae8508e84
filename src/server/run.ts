/**
 * What `metalboot serve` does once its options are parsed: load the config, apply --listen /
 * --public-url / the tunnel URL, start listening, reload on SIGHUP, drain and exit on SIGTERM/SIGINT.
 */
import type { Logger } from 'pino';
import { loadConfig } from '../config/load.js';
import { loadServerSecret } from '../config/secret.js';
import { parseListenAddress } from '../config/listen.js';
import type { ListenAddress } from '../config/listen.js';
import type { Config } from '../config/types.js';
import type { Retention } from '../events/store.js';
import { MetalbootError, UsageError } from '../errors.js';
import type { Tunnel, TunnelOpener } from '../tunnel/index.js';
import { tunnelOpener, TUNNELS } from '../tunnel/index.js';
import { createLogger } from './logging.js';
import { raiseNofile } from './nofile.js';
import { DEFAULT_DRAIN_MS, startServer } from './start.js';
import { cachedPortMacs } from './port-macs.js';
import type { ProviderMacs } from './port-macs.js';
import type { RunningServer } from './start.js';
import type { Route } from './route.js';
import { trimBase } from '../util/url.js';

export interface ServeOptions {
  readonly configFile: string;
  readonly listen?: string;
  readonly publicUrl?: string;
  readonly tunnel?: string;
  readonly socket?: string;
  readonly drainMs?: number;
  /** Boot events kept: at most this many, none older (default 100,000 and 30 days). */
  readonly eventsRetention?: Partial<Retention>;
}

export interface ServeDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly tunnels?: Readonly<Record<string, TunnelOpener>>;
  readonly logger?: Logger;
  /** Where the one-line status goes (stderr). */
  readonly say?: (line: string) => void;
  /** Process signals to react to (tests pass an EventEmitter). */
  readonly signals?: NodeJS.EventEmitter;
  /**
   * Where bond slave MACs come from for devices whose config lists none (the composition root,
   * cli/serve.ts, passes the Metal provider's lookup when METAL_AUTH_TOKEN is set); given the
   * config at start. Lookups are cached and never fatal (port-macs.ts).
   */
  readonly providerMacs?: (config: Config) => ProviderMacs | Promise<ProviderMacs>;
  /** Routes of the layers above (the dashboard), handed in by the composition root (cli/serve.ts). */
  readonly extraRoutes?: readonly Route[];
  /** Called with each config reloaded on SIGHUP (public URL applied), after the server took it (e.g. serve --dhcp's dnsmasq). */
  readonly onReload?: (config: Config) => Promise<void>;
}

export interface ServeHandle {
  readonly server: RunningServer;
  readonly publicUrl: string;
  /** The config loaded at start, with the public URL devices use. */
  readonly config: Config;
  readonly tunnel: Tunnel | undefined;
  /** Resolves once the server has shut down after a signal or stop(). */
  readonly done: Promise<void>;
  reload(): Promise<void>;
  stop(): Promise<void>;
}

export async function runServe(options: ServeOptions, deps: ServeDeps = {}): Promise<ServeHandle> {
  const env = deps.env ?? process.env;
  const say = deps.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const signals = deps.signals ?? process;
  const logger = deps.logger ?? createLogger();
  const listen = options.listen === undefined ? undefined : parseListen(options.listen);
  const opener = options.tunnel === undefined ? undefined : tunnelOpener(options.tunnel, deps.tunnels ?? TUNNELS);

  const base = await loadConfig(options.configFile);
  const nofile = await raiseNofile();
  logger.info({ soft: nofile.soft, hard: nofile.hard }, `open-file limit: ${nofile.action}`);
  const secret = await loadServerSecret(base.server.stateDir, env);
  const server = await startServer({
    config: base,
    secret,
    logger,
    listen: listen ?? base.server.listen,
    socketPath: options.socket,
    uploadToken: env.METALBOOT_TOKEN,
    readToken: env.METALBOOT_READ_TOKEN,
    ...(deps.extraRoutes ? { extraRoutes: deps.extraRoutes } : {}),
    ...(options.eventsRetention ? { eventsRetention: options.eventsRetention } : {}),
    // behind a tunnel every peer is the local agent: the device's address is in X-Forwarded-For
    trustForwardedFor: opener !== undefined,
    ...(deps.providerMacs ? { portMacs: cachedPortMacs(await deps.providerMacs(base), { warn: (message) => logger.warn(message) }) } : {}),
  });
  let tunnel: Tunnel | undefined;
  try {
    if (opener) tunnel = await opener({ host: listen?.host ?? base.server.listen.host, port: server.port! }, env);
  } catch (error) {
    await server.close(0);
    throw error;
  }
  // --public-url and the tunnel win; else the config's public_url, or (when it has none) where we really listen
  const publicUrlOf = (config: Config): string =>
    trimBase(options.publicUrl ?? tunnel?.url ?? (config.server.publicUrlExplicit ? config.server.publicUrl : server.url!));
  const adjust = (config: Config): Config => ({ ...config, server: { ...config.server, publicUrl: publicUrlOf(config) } });
  const publicUrl = publicUrlOf(base);
  server.reload(adjust(base));
  say(`metalboot: serving ${server.url ?? ''}${options.socket ? ` and unix:${options.socket}` : ''}; devices use ${publicUrl}${tunnel ? ' (ngrok tunnel)' : ''}`);

  const reload = async (): Promise<void> => {
    try {
      const config = adjust(await loadConfig(options.configFile));
      server.reload(config);
      logger.info({ file: options.configFile }, 'config reloaded');
      await deps.onReload?.(config);
    } catch (error) {
      const refused = error instanceof MetalbootError && error.code === 'E_RELOAD_REFUSED';
      if (refused) logger.warn({ file: options.configFile, reason: error.message }, 'config reload refused; keeping the previous config');
      else logger.error({ err: (error as Error).message }, 'config reload failed; keeping the previous config');
    }
  };
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const stop = async (): Promise<void> => {
    signals.off('SIGHUP', onHup);
    signals.off('SIGTERM', onStop);
    signals.off('SIGINT', onStop);
    logger.info('shutting down: no new connections, letting downloads finish');
    await server.close(options.drainMs ?? DEFAULT_DRAIN_MS);
    await tunnel?.close().catch(() => undefined);
    logger.flush?.();
    resolveDone();
  };
  const onHup = (): void => void reload();
  const onStop = (): void => void stop();
  signals.on('SIGHUP', onHup);
  signals.on('SIGTERM', onStop);
  signals.on('SIGINT', onStop);
  return { server, publicUrl, config: adjust(base), tunnel, done, reload, stop };
}

export function parseListen(text: string): ListenAddress {
  const address = parseListenAddress(text, '0.0.0.0');
  if (!address) throw new UsageError(`--listen ${JSON.stringify(text)} is not HOST:PORT (e.g. 127.0.0.1:8080, 0.0.0.0:80, [::1]:8080)`);
  return address;
}
