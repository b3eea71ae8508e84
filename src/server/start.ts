/**
 * Listening and lifecycle: `startServer` removes tmp/ leftovers of dead processes, binds HOST:PORT
 * and/or a unix socket with bounded timeouts and a per-address connection cap (connection-limits.ts),
 * `reload` swaps the config (SIGHUP) without touching open connections unless reload-guard.ts
 * refuses it, `close` stops accepting, ends event streams,
 * lets in-flight downloads finish for up to `drainMs`, then cuts what is left.
 */
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Config } from '../config/types.js';
import { listenUrl } from '../config/listen.js';
import { BootStore, bootsFile as defaultBootsFile } from '../boots/store.js';
import { EventStore } from '../events/store.js';
import { CHUNK } from './blob-reader.js';
import type { Logger } from 'pino';
import { MetalbootError } from '../errors.js';
import { removeStaleTmp } from '../image/store.js';
import type { Retention } from '../events/store.js';
import { createApp } from './app.js';
import { capConnectionsPerAddress, DEFAULT_LIMITS, serverOptions } from './connection-limits.js';
import type { ConnectionLimits } from './connection-limits.js';
import { reloadRefusal } from './reload-guard.js';
import type { MetalbootApp } from './app.js';
import type { AppDeps, ServerContext } from './context.js';
import type { RequestListener } from './router.js';

/** What the app needs (its event store is opened here), plus where to listen. */
export interface StartOptions extends Omit<AppDeps, 'events' | 'boots'> {
  /** TCP address (default: config.server.listen); `false` for unix socket only. */
  readonly listen?: { host: string; port: number } | false;
  /** Also (or only) listen on this unix socket path. */
  readonly socketPath?: string;
  /** Events database (default `<stateDir>/events.db`). */
  readonly eventsFile?: string;
  /** Timeouts and the per-address connection cap (default DEFAULT_LIMITS). */
  readonly limits?: Partial<ConnectionLimits>;
  /** Events retention (default: 100,000 events, 30 days). */
  readonly eventsRetention?: Partial<Retention>;
  /** Armed boots (default `<stateDir>/boots.db`, shared with `metalboot arm` and `reimage`). */
  readonly bootsFile?: string;
}

export interface RunningServer {
  /** The app every listener serves: its `handler` is the only request listener of `httpServers`. */
  readonly app: MetalbootApp;
  readonly context: ServerContext;
  /** The node servers listening (TCP and/or unix socket). */
  readonly httpServers: readonly Server[];
  /** `http://host:port` of the TCP listener, if any. */
  readonly url: string | undefined;
  readonly port: number | undefined;
  readonly socketPath: string | undefined;
  reload(config: Config): void;
  close(drainMs?: number): Promise<void>;
}

export const DEFAULT_DRAIN_MS = 30_000;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { listen: listenOption, socketPath, eventsFile, bootsFile, eventsRetention, limits: limitOptions, ...deps } = options;
  const limits: ConnectionLimits = { ...DEFAULT_LIMITS, ...limitOptions };
  await cleanTmp(options.config.server.stateDir, options.logger);
  const events = new EventStore(eventsFile ?? join(options.config.server.stateDir, 'events.db'), eventsRetention ? { retention: eventsRetention } : {});
  const boots = new BootStore(bootsFile ?? defaultBootsFile(options.config.server.stateDir));
  const closeStores = (): void => {
    events.close();
    boots.close();
  };
  const app = createApp({ ...deps, events, boots });
  const { handler, context } = app;
  const servers: Server[] = [];
  let url: string | undefined;
  let port: number | undefined;
  const listen = listenOption ?? options.config.server.listen;
  try {
    if (listen) {
      const server = await bind(handler, limits, (s) => s.listen(listen.port, listen.host));
      servers.push(server);
      port = (server.address() as AddressInfo).port;
      url = listenUrl({ host: listen.host, port });
    }
    if (socketPath) {
      await rm(socketPath, { force: true });
      servers.push(await bind(handler, limits, (s) => s.listen(socketPath)));
    }
  } catch (error) {
    for (const server of servers) server.close();
    closeStores();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    context,
    httpServers: servers,
    url,
    port,
    socketPath,
    reload: (config) => {
      const refusal = reloadRefusal(context.config, config);
      if (refusal) throw new MetalbootError(`config reload refused: ${refusal}`, { code: 'E_RELOAD_REFUSED', hint: 'the previous config keeps serving; fix the file and send SIGHUP again' });
      context.setConfig(config);
    },
    close: (drainMs = DEFAULT_DRAIN_MS) => (closing ??= shutdown(servers, context, drainMs).finally(closeStores)),
  };
}

/** Removes what killed uploads and builds left in tmp/, and says so. */
async function cleanTmp(stateDir: string, logger: Logger): Promise<void> {
  const { removed, failed } = await removeStaleTmp(stateDir);
  if (removed.length > 0) logger.info({ removed }, `removed ${removed.length} leftover temp file(s) from ${stateDir}/tmp`);
  for (const { name, error } of failed) logger.warn({ name, error }, 'could not remove a leftover temp file');
}

function bind(handler: RequestListener, limits: ConnectionLimits, listen: (server: Server) => void): Promise<Server> {
  const server = createServer(serverOptions(limits, CHUNK), handler);
  capConnectionsPerAddress(server, limits.perAddress);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server);
    });
    listen(server);
  });
}

async function shutdown(servers: Server[], context: ServerContext, drainMs: number): Promise<void> {
  const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
  for (const stream of context.streams) stream.end();
  for (const server of servers) server.closeIdleConnections();
  const idle = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), 100);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      for (const server of servers) server.closeAllConnections();
      resolve();
    }, drainMs);
  });
  await Promise.race([Promise.all(closed).then(() => undefined), deadline]);
  clearInterval(idle);
  clearTimeout(timer);
}
