import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeThroughSocket } from '../../src/vm/probe.js';
import { checkReachable } from '../../src/reimage/reachability.js';

describe("probing the URLs a QEMU guest will fetch, from the host", () => {
  let dir: string;
  let socketPath: string;
  let socketServer: Server;
  let tcpServer: Server;
  let tcpUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-probe-'));
    socketPath = join(dir, 'server.sock');
    socketServer = createServer((req, res) => {
      seen.push(`${req.method} ${req.headers.host} ${req.url}`);
      res.writeHead(req.url === '/ipxe/web-1' ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
    tcpServer = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
    tcpUrl = `http://127.0.0.1:${(tcpServer.address() as { port: number }).port}/x`;
  });

  afterAll(async () => {
    await new Promise((resolve) => socketServer.close(resolve));
    await new Promise((resolve) => tcpServer.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('sends 10.0.2.2 URLs through the server socket, with the guest Host header', async () => {
    const ok = await probeThroughSocket('http://10.0.2.2:8080/ipxe/web-1', { method: 'HEAD' }, async () => socketPath);
    const missing = await probeThroughSocket('http://10.0.2.2:8080/assets/none', { method: 'HEAD' }, async () => socketPath);
    expect([ok.status, missing.status]).toEqual([200, 404]);
    expect(seen).toEqual(['HEAD 10.0.2.2:8080 /ipxe/web-1', 'HEAD 10.0.2.2:8080 /assets/none']);
  });

  it('fetches any other URL normally', async () => {
    const response = await probeThroughSocket(tcpUrl, { method: 'HEAD' }, async () => { throw new Error('socket not needed'); });
    expect(response.status).toBe(204);
  });

  it('lets the pre-flight check name the guest URL that is missing', async () => {
    const failures = await checkReachable(['http://10.0.2.2:8080/ipxe/web-1', 'http://10.0.2.2:8080/assets/gone'], {
      fetch: (url, init) => probeThroughSocket(url, init, async () => socketPath),
    });
    expect(failures).toEqual([{ url: 'http://10.0.2.2:8080/assets/gone', reason: 'HTTP 404' }]);
  });
});
