/** Listening on loopback, over HTTP or (with a certificate and key) HTTPS. */
import { createServer as createHttpServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { MetalbootError } from '../../errors.js';

export interface ListenOptions {
  /** Loopback address (default 127.0.0.1). */
  readonly host?: string;
  /** 0 = ephemeral. */
  readonly port?: number;
  /** PEM certificate and key: serve HTTPS. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

export async function listenOn(app: RequestListener, options: ListenOptions): Promise<{ url: string; server: Server }> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) {
    throw new MetalbootError(`the Redfish simulator listens on loopback only, not ${host}`, { code: 'E_USAGE', exitCode: 2, hint: 'use 127.0.0.1:PORT' });
  }
  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, app) : createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 0;
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `${options.tls ? 'https' : 'http'}://${shown}:${port}`, server };
}
