/** A tiny static HTTP server on a unix socket: what a VM's relay forwards the guest's 10.0.2.2 to. */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';

export type Route = { text: string } | { file: string };

export interface UnixHttpServer {
  readonly socketPath: string;
  /** Every request path, in order, with the time it arrived (ms since the server started). */
  readonly requests: { path: string; at: number }[];
  close(): Promise<void>;
}

export async function serveOnUnixSocket(dir: string, routes: Record<string, Route>, name = 'http.sock'): Promise<UnixHttpServer> {
  const socketPath = join(dir, name);
  const started = Date.now();
  const requests: { path: string; at: number }[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, at: Date.now() - started });
    const route = routes[path];
    if (!route) {
      res.writeHead(404).end('not found\n');
      return;
    }
    if ('text' in route) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(route.text);
      return;
    }
    res.writeHead(200, { 'content-length': String(statSync(route.file).size) });
    createReadStream(route.file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    socketPath,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
