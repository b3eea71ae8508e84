/** A running metalboot server on 127.0.0.1:0 over a temp state dir with one built image and two devices. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { AssetRef } from '../../src/image/manifest.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { startServer } from '../../src/server/start.js';
import type { RunningServer } from '../../src/server/start.js';

export const SECRET = 'test-secret-0123456789';
export const UPLOAD_TOKEN = 'upload-token-abc';
export const READ_TOKEN = 'read-token-def';
/** Headers of an operator client allowed to read the events API. */
export const READ_AUTH = { authorization: `Bearer ${READ_TOKEN}` } as const;

export interface Fixture {
  readonly dir: string;
  readonly stateDir: string;
  readonly config: Config;
  readonly server: RunningServer;
  readonly url: string;
  readonly kernel: AssetRef;
  readonly initrd: AssetRef;
  readonly kernelData: Buffer;
  readonly initrdData: Buffer;
  /** The token of the device's armed boot (the fixture arms every device at start, src/boots/). */
  token(device: string): string;
  restart(): Promise<Fixture>;
  close(): Promise<void>;
}

export function configText(stateDir: string, cacheMb = 16): string {
  return `server:
  listen: 127.0.0.1:0
  public_url: http://boot.test:8080
  state_dir: ${stateDir}
  cache_mb: ${cacheMb}
images:
  deb:
    type: files
    kernel: /srv/linux
    initrd: /srv/initrd.gz
devices:
  web-1:
    image: deb
    macs: ["b4:96:91:aa:bb:01", "b4:96:91:aa:bb:02"]
    uuid: 4c4c4544-0042-3510-8051-b4c04f4b4e32
  web-2:
    image: deb
    macs: ["b4:96:91:aa:bb:03"]
`;
}

export interface FixtureOptions {
  cacheMb?: number;
  maxUploadBytes?: number;
  dir?: string;
  /** Live event streams one token may hold (the server's default when absent). */
  maxStreamsPerToken?: number;
  /** Arm every device at start (default true), as reimage would: their tokens are `token(device)`. */
  arm?: boolean;
  /** The server's logger (default: silent, or info with TEST_LOG set). */
  logger?: pino.Logger;
}

export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'metalboot-server-')));
  const stateDir = join(dir, 'state');
  const config = parseConfig(configText(stateDir, options.cacheMb), join(dir, 'metalboot.yaml'));
  const kernelData = seeded(3 * 1024 * 1024 + 17, 1);
  const initrdData = seeded(5 * 1024 * 1024 + 3, 2);
  await writeFile(join(dir, 'linux'), kernelData);
  await writeFile(join(dir, 'initrd.gz'), initrdData);
  const kernel = await addAssetFromFile(stateDir, join(dir, 'linux'), 'linux');
  const initrd = await addAssetFromFile(stateDir, join(dir, 'initrd.gz'), 'initrd.gz');
  await writeManifest(stateDir, {
    schema: 1,
    name: 'deb',
    type: 'files',
    installer: false,
    variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['quiet', 'metalboot.events={{events_url}}'] } },
  });
  const server = await startServer({
    config,
    bootsFile: ':memory:',
    secret: SECRET,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG ? 'info' : 'silent' }),
    listen: { host: '127.0.0.1', port: 0 },
    uploadToken: UPLOAD_TOKEN,
    readToken: READ_TOKEN,
    maxUploadBytes: options.maxUploadBytes,
    ...(options.maxStreamsPerToken ? { maxStreamsPerToken: options.maxStreamsPerToken } : {}),
  });
  const armed = options.arm === false ? [] : Object.keys(config.devices);
  const tokens = new Map(armed.map((name) => [name, server.context.boots.arm(name).token] as const));
  const fixture: Fixture = {
    dir,
    stateDir,
    config,
    server,
    url: server.url!,
    kernel,
    initrd,
    kernelData,
    initrdData,
    token: (device) => tokens.get(device) ?? server.context.boots.arm(device).token,
    restart: async () => {
      await server.close(1000);
      return startFixture({ ...options, dir });
    },
    close: async () => {
      await server.close(1000);
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Deterministic pseudo-random bytes (distinct per seed). */
export function seeded(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i += 4) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    if (i + 4 <= size) out.writeUInt32LE(x, i);
    else for (let j = i; j < size; j++) out[j] = (x >>> ((j - i) * 8)) & 0xff;
  }
  return out;
}
