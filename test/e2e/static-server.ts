/**
 * A minimal static server for firmware tests: serves rendered scripts and store blobs over a
 * unix socket (the VM reaches it through the runner's relay), records every request, and can
 * fail the first N requests of a path with 500 to exercise the scripts' retries.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { assetFile } from '../../src/image/store.js';

export interface StaticServer {
  readonly requests: { path: string; status: number }[];
  close(): Promise<void>;
}

export async function startStaticServer(options: {
  socketPath: string;
  stateDir: string;
  scripts: Record<string, string>;
  failFirst?: Record<string, number>;
}): Promise<StaticServer> {
  const requests: { path: string; status: number }[] = [];
  const failures = new Map(Object.entries(options.failFirst ?? {}));
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const reply = (status: number, body?: string): void => {
      requests.push({ path, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    };
    const remaining = failures.get(path) ?? 0;
    if (remaining > 0) {
      failures.set(path, remaining - 1);
      return reply(500, 'injected failure\n');
    }
    const script = options.scripts[path];
    if (script !== undefined) return reply(200, script);
    const match = /^\/assets\/([0-9a-f]{64})\/[A-Za-z0-9._+-]+$/.exec(path);
    if (!match) return reply(404, 'not found\n');
    const file = assetFile(options.stateDir, match[1]!);
    stat(file).then(
      (info) => {
        requests.push({ path, status: 200 });
        res.writeHead(200, { 'content-length': info.size });
        createReadStream(file).pipe(res);
      },
      () => reply(404, 'no such asset\n'),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.socketPath, resolve));
  return {
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
