import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach } from 'vitest';
import { cpioChunks } from '../../src/initrd/cpio.js';
import type { CpioEntry } from '../../src/initrd/cpio.js';

export function useTmp(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metalboot-image-'));
    dirs.push(dir);
    return dir;
  };
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export async function put(path: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

/** A small gzip newc initrd (fabricated: stands in for a real installer initrd). */
export async function fakeInitrd(entries: CpioEntry[] = [{ type: 'file', name: 'init', mode: 0o755, data: Buffer.from('#!/bin/sh\n') }]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of cpioChunks(entries)) parts.push(chunk);
  return gzipSync(Buffer.concat(parts));
}

export interface StaticServer {
  readonly url: string;
  readonly requests: string[];
  /** Per-path overrides: 'truncate' sends half the body with the full Content-Length. */
  readonly faults: Map<string, 'truncate'>;
}

/** Serves `root` on 127.0.0.1 (ephemeral port); closed after each test. */
export function useStaticServer(): (root: string) => Promise<StaticServer> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); })));
  });
  return async (root) => {
    const requests: string[] = [];
    const faults = new Map<string, 'truncate'>();
    const server = createServer(async (req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      requests.push(path);
      const file = join(root, normalize(path));
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-length': info.size });
      if (faults.get(path) === 'truncate') {
        createReadStream(file, { end: Math.floor(info.size / 2) }).on('end', () => res.destroy()).pipe(res, { end: false });
        return;
      }
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, faults };
  };
}
