/**
 * A loopback HTTP server standing in for the upstream Debian mirror: serves a directory, records
 * every request, and can answer a path with a fault (another body, a status, a short body).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export type Fault = { readonly status: number } | { readonly body: Buffer } | { readonly truncateTo: number };

export interface UpstreamServer {
  readonly url: string;
  readonly requests: string[];
  readonly faults: Map<string, Fault>;
  close(): Promise<void>;
}

export async function startUpstream(root: string): Promise<UpstreamServer> {
  const requests: string[] = [];
  const faults = new Map<string, Fault>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/^\/debian\//, '');
    requests.push(path);
    const fault = faults.get(path);
    if (fault && 'status' in fault) return void res.writeHead(fault.status).end();
    const file = normalize(join(root, path));
    if (!file.startsWith(`${root}/`)) return void res.writeHead(403).end();
    readFile(file).then(
      (data) => {
        const body = fault && 'body' in fault ? fault.body : fault && 'truncateTo' in fault ? data.subarray(0, fault.truncateTo) : data;
        res.writeHead(200, { 'content-length': body.length }).end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/debian`,
    requests,
    faults,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
