/**
 * One boot of the rootfs RAM image for the e2e tests: the image's initrd + the device's data cpio,
 * QEMU behind the LACP test switch in a private namespace (lacp-net.ts), and the test's HTTP
 * endpoint on a unix socket recording every request. It waits for the login prompt and the
 * system's own "booted" report, and records when each appeared.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { parseConfig } from '../../../src/config/load.js';
import { renderDeviceDataCpio } from '../../../src/devicedata/index.js';
import { kernelLine } from '../../../src/ipxe/kernel-line.js';
import { assetFile, readManifest } from '../../../src/image/store.js';
import { spawnInNetns } from '../../../src/vm/netns.js';
import type { NetnsProcess } from '../../../src/vm/netns.js';
import { BRIDGE_ADDRESS, HTTP_PORT, lacpNetScript } from './lacp-net.js';

export const MACS = ['52:54:00:aa:00:01', '52:54:00:aa:00:02'] as const;
export const BOOT_TIMEOUT_MS = 240_000;

export interface Request { readonly at: number; readonly line: string; readonly body: string }

export interface RamBoot {
  readonly dir: string;
  readonly token: string;
  readonly requests: Request[];
  /** ms from QEMU's start: first kernel line, login prompt, booted report. */
  readonly timings: { kernel?: number; login?: number; report?: number };
  readonly vm: NetnsProcess;
  booted(): Request | undefined;
  /** Runs a command inside the VM's namespace (e.g. ssh to the device). */
  inNetns(argv: readonly string[]): ReturnType<typeof execa>;
  evidence(): Promise<string>;
  stop(): Promise<void>;
}

export interface RamBootOptions {
  readonly state: string;
  readonly hostname: string;
  /** false: the device has no MACs in the config, so its data has no bond. */
  readonly bonded: boolean;
}

export async function bootRamImage(options: RamBootOptions): Promise<RamBoot> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-rootfs-e2e-'));
  const token = randomBytes(32).toString('hex');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rootfs-e2e', '-f', join(dir, 'id')]);
  const publicKey = (await readFile(join(dir, 'id.pub'), 'utf8')).trim();
  const macs = options.bonded ? `\n    macs: [${MACS.join(', ')}]` : '';
  const config = parseConfig(`images:\n  ram:\n    type: rootfs\ndevices:\n  ${options.hostname}:\n    image: ram${macs}\n    ssh_keys: [${JSON.stringify(publicKey)}]\n`, join(dir, 'metalboot.yaml'));
  const variant = (await readManifest(options.state, 'ram')).variants.x86_64!;
  const device = config.devices[options.hostname]!;
  const baseUrl = `http://${BRIDGE_ADDRESS}:${HTTP_PORT}`;
  // The image's initrd, then the device data, padded to 4 bytes between them as iPXE does.
  const image = await readFile(assetFile(options.state, variant.initrd.sha256));
  const data = await renderDeviceDataCpio({ device, token, baseUrl });
  await writeFile(join(dir, 'initrd'), Buffer.concat([image, Buffer.alloc((4 - (image.length % 4)) % 4), data]));
  const append = kernelLine({ device, image: config.images.ram!, variant, baseUrl, token }).args.map(({ arg }) => arg).join(' ');

  const started = Date.now();
  const requests: Request[] = [];
  const server = await listen(join(dir, 'http.sock'), (request) => requests.push({ ...request, at: Date.now() - started }));
  const script = lacpNetScript({ dir, macs: MACS, kernel: assetFile(options.state, variant.kernel.sha256), initrd: join(dir, 'initrd'), append, memoryMb: 1024, cpus: 2 });
  await writeFile(join(dir, 'net.sh'), script);
  const vm = await spawnInNetns({
    file: 'sh', args: [join(dir, 'net.sh')], forwards: [{ guestPort: HTTP_PORT, socketPath: join(dir, 'http.sock'), host: '0.0.0.0' }],
    output: { file: join(dir, 'netns.log') }, timeoutMs: BOOT_TIMEOUT_MS + 120_000,
  });
  const vmStarted = Date.now() - started;
  const booted = () => requests.find((r) => r.line.startsWith('POST ') && r.body.includes('"booted"'));
  const timings: RamBoot['timings'] = {};
  for (;;) {
    const elapsed = Date.now() - started - vmStarted;
    const console1 = await readFile(join(dir, 'ttyS1.log'), 'utf8').catch(() => '');
    if (timings.kernel === undefined && console1.includes('Linux version')) timings.kernel = elapsed;
    if (timings.login === undefined && new RegExp(`^${options.hostname} login: `, 'm').test(console1)) timings.login = elapsed;
    if (timings.report === undefined && booted()) timings.report = booted()!.at - vmStarted;
    if ((timings.login !== undefined && timings.report !== undefined) || elapsed > BOOT_TIMEOUT_MS || vm.isDone()) break;
    await sleep(500);
  }
  return {
    dir, token, requests, timings, vm, booted,
    inNetns: (argv) => execa('nsenter', [`--net=/proc/${vm.pgid}/ns/net`, ...argv], { reject: false, timeout: 60_000 }),
    evidence: async () => {
      const tail = async (name: string) => (await readFile(join(dir, name), 'utf8').catch(() => '')).split('\n').slice(-25).join('\n');
      const parts: string[] = [];
      for (const name of ['ttyS1.log', 'switch.log', 'netns.log']) parts.push(`--- ${name}\n${await tail(name)}`);
      return parts.join('\n');
    },
    stop: async () => {
      await vm.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (process.env.METALBOOT_KEEP_E2E) console.log(`[rootfs e2e] kept ${dir}`);
      else await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The test's HTTP endpoint: records method, path and (bounded) body; answers 200. */
async function listen(socketPath: string, record: (request: Omit<Request, 'at'>) => void): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 65_536) chunks.push(chunk);
    });
    req.on('end', () => {
      record({ line: `${req.method} ${req.url}`, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return server;
}

/** The address dnsmasq leased to `mac` (dnsmasq's own record), if any. */
export async function leasedAddress(dir: string, mac: string): Promise<string | undefined> {
  const leases = await readFile(join(dir, 'leases'), 'utf8').catch(() => '');
  return leases.split('\n').map((line) => line.split(' ')).find((fields) => fields[1] === mac)?.[2];
}
