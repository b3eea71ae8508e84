/**
 * Listening and lifecycle: `startServer` binds HOST:PORT and/or a unix socket, `reload` swaps the
 * config (SIGHUP) without touching open connections, `close` stops accepting, ends event streams,
 * lets in-flight downloads finish for up to `drainMs`, then cuts what is left.
 */
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { EventStore } from '../events/store.js';
import { createApp } from './app.js';
import { listenUrl } from '../config/listen.js';
import type { PortMacs } from './port-macs.js';
import type { ServerContext } from './context.js';

export interface StartOptions {
  readonly config: Config;
  readonly secret: string;
  readonly logger: Logger;
  /** TCP address (default: config.server.listen); `false` for unix socket only. */
  readonly listen?: { host: string; port: number } | false;
  /** Also (or only) listen on this unix socket path. */
  readonly socketPath?: string;
  readonly uploadToken?: string;
  readonly maxUploadBytes?: number;
  /** Take client addresses from X-Forwarded-For (set by `serve --tunnel`). */
  readonly trustForwardedFor?: boolean;
  /** Bond slave MACs when the config lists none (see port-macs.ts). */
  readonly portMacs?: PortMacs;
  /** Events database (default `<stateDir>/events.db`). */
  readonly eventsFile?: string;
}

export interface RunningServer {
  readonly context: ServerContext;
  /** `http://host:port` of the TCP listener, if any. */
  readonly url: string | undefined;
  readonly port: number | undefined;
  readonly socketPath: string | undefined;
  reload(config: Config): void;
  close(drainMs?: number): Promise<void>;
}

export const DEFAULT_DRAIN_MS = 30_000;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const events = new EventStore(options.eventsFile ?? join(options.config.server.stateDir, 'events.db'));
  const { handler, context } = createApp({
    config: options.config,
    secret: options.secret,
    events,
    logger: options.logger,
    uploadToken: options.uploadToken,
    maxUploadBytes: options.maxUploadBytes,
    trustForwardedFor: options.trustForwardedFor,
    ...(options.portMacs ? { portMacs: options.portMacs } : {}),
  });
  const servers: Server[] = [];
  let url: string | undefined;
  let port: number | undefined;
  const listen = options.listen ?? options.config.server.listen;
  try {
    if (listen) {
      const server = await bind(handler, (s) => s.listen(listen.port, listen.host));
      servers.push(server);
      port = (server.address() as AddressInfo).port;
      url = listenUrl({ host: listen.host, port });
    }
    if (options.socketPath) {
      await rm(options.socketPath, { force: true });
      servers.push(await bind(handler, (s) => s.listen(options.socketPath)));
    }
  } catch (error) {
    for (const server of servers) server.close();
    events.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    context,
    url,
    port,
    socketPath: options.socketPath,
    reload: (config) => context.setConfig(config),
    close: (drainMs = DEFAULT_DRAIN_MS) => (closing ??= shutdown(servers, context, drainMs).finally(() => events.close())),
  };
}

function bind(app: Parameters<typeof createServer>[1], listen: (server: Server) => void): Promise<Server> {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, highWaterMark: 1 << 20 }, app);
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
