/**
 * One boot of the rootfs RAM image through the REAL metalboot server: the server (started here,
 * on a unix socket, the network namespace's 10.77.0.1:8080) serves the device's iPXE script, the
 * kernel, the image's initrd and the device's data; the VM's NIC ROM (iPXE, BIOS) gets the script
 * URL from dnsmasq and boots it behind the LACP test switch (lacp-net.ts). Nothing is handed to
 * QEMU but the firmware. Records when each of the server's events arrived.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { loadConfig } from '../../../src/config/load.js';
import { loadServerSecret } from '../../../src/config/secret.js';
import type { BootEvent } from '../../../src/events/types.js';
import { addAssetFromFile, assetFile, readManifest, writeManifest } from '../../../src/image/store.js';
import { createLogger, startServer } from '../../../src/server/index.js';
import type { RunningServer } from '../../../src/server/index.js';
import { spawnInNetns } from '../../../src/vm/netns.js';
import type { NetnsProcess } from '../../../src/vm/netns.js';
import { BRIDGE_ADDRESS, HTTP_PORT, lacpNetScript } from './lacp-net.js';
import { BOOT_TIMEOUT_MS, MACS } from './ram-boot.js';

export interface ServerBoot {
  readonly dir: string;
  readonly device: string;
  /** The token as the served script carries it (contract A: never computed by the test). */
  readonly token: string;
  readonly script: string;
  readonly server: RunningServer;
  /** Every event the server recorded, with ms since QEMU started. */
  readonly events: (BootEvent & { at: number })[];
  /** ms from QEMU's start to the login prompt on ttyS1. */
  readonly login?: number;
  readonly vm: NetnsProcess;
  booted(): (BootEvent & { at: number }) | undefined;
  inNetns(argv: readonly string[]): ReturnType<typeof execa>;
  evidence(): Promise<string>;
  stop(): Promise<void>;
}

export async function bootRamImageThroughServer(options: { state: string; device: string }): Promise<ServerBoot> {
  const { device } = options;
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-rootfs-srv-'));
  const stateDir = join(dir, 'state');
  // The built image, copied into this server's own state dir (the server writes events.db there).
  const built = await readManifest(options.state, 'ram');
  const variant = built.variants.x86_64!;
  const kernel = await addAssetFromFile(stateDir, assetFile(options.state, variant.kernel.sha256), variant.kernel.name);
  const initrd = await addAssetFromFile(stateDir, assetFile(options.state, variant.initrd.sha256), variant.initrd.name);
  await writeManifest(stateDir, { ...built, variants: { x86_64: { ...variant, kernel, initrd } } });

  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rootfs-srv-e2e', '-f', join(dir, 'id')]);
  const publicKey = (await readFile(join(dir, 'id.pub'), 'utf8')).trim();
  const baseUrl = `http://${BRIDGE_ADDRESS}:${HTTP_PORT}`;
  await writeFile(join(dir, 'metalboot.yaml'), [
    'server:', `  public_url: ${baseUrl}`, `  state_dir: ${stateDir}`,
    'images:', '  ram:', '    type: rootfs',
    'devices:', `  ${device}:`, '    image: ram', `    macs: [${MACS.join(', ')}]`, `    ssh_keys: [${JSON.stringify(publicKey)}]`, '',
  ].join('\n'));
  const config = await loadConfig(join(dir, 'metalboot.yaml'));
  const secret = await loadServerSecret(stateDir);
  const socketPath = join(dir, 'server.sock');
  const server = await startServer({
    config, secret, listen: false, socketPath, logger: createLogger({ level: 'info', destination: join(dir, 'server.log') }),
  });
  const events: (BootEvent & { at: number })[] = [];
  let started = Date.now();
  const unsubscribe = server.context.events.subscribe((event) => void events.push({ ...event, at: Date.now() - started }));

  server.context.boots.arm(device); // as `reimage` does: the device data is served during an armed boot only
  // The token the device will use, read from the script the server serves (then forget the fetch).
  const script = await getOverSocket(socketPath, `/ipxe/${device}`);
  const token = /\/device-data\/[^?\s]+\?token=([0-9a-f]+)/.exec(script)?.[1] ?? '';
  events.length = 0;

  await writeFile(join(dir, 'sercon-port.bin'), Buffer.from([0xf8, 0x03])); // COM1 = ttyS0
  const bootUrl = `${baseUrl}/ipxe/${device}`;
  await writeFile(join(dir, 'net.sh'), lacpNetScript({ dir, macs: MACS, bootUrl, serconFile: join(dir, 'sercon-port.bin'), memoryMb: 1024, cpus: 2 }));
  started = Date.now();
  const vm = await spawnInNetns({
    file: 'sh', args: [join(dir, 'net.sh')], forwards: [{ guestPort: HTTP_PORT, socketPath, host: '0.0.0.0' }],
    output: { file: join(dir, 'netns.log') }, timeoutMs: BOOT_TIMEOUT_MS + 120_000,
  });
  const booted = () => events.find((e) => e.kind === 'phone-home' && e.device === device && e.state === 'booted');
  let login: number | undefined;
  while (Date.now() - started < BOOT_TIMEOUT_MS && !vm.isDone()) {
    const console1 = await readFile(join(dir, 'ttyS1.log'), 'utf8').catch(() => '');
    if (login === undefined && new RegExp(`^${device} login: `, 'm').test(console1)) login = Date.now() - started;
    if (login !== undefined && booted()) break;
    await sleep(250);
  }
  return {
    dir, device, token, script, server, events, vm, booted,
    ...(login !== undefined ? { login } : {}),
    inNetns: (argv) => execa('nsenter', [`--net=/proc/${vm.pgid}/ns/net`, ...argv], { reject: false, timeout: 60_000 }),
    evidence: async () => {
      const tail = async (name: string) => (await readFile(join(dir, name), 'utf8').catch(() => '')).split('\n').slice(-25).join('\n');
      const parts = [`--- events\n${events.map((e) => `${e.at} ${e.kind} ${e.path ?? e.state ?? ''}`).join('\n')}`];
      for (const name of ['ttyS0.log', 'ttyS1.log', 'switch.log', 'netns.log', 'server.log']) parts.push(`--- ${name}\n${await tail(name)}`);
      return parts.join('\n');
    },
    stop: async () => {
      unsubscribe();
      await vm.stop();
      await server.close(1_000);
      if (process.env.METALBOOT_KEEP_E2E) console.log(`[rootfs server e2e] kept ${dir}`);
      else await rm(dir, { recursive: true, force: true });
    },
  };
}

function getOverSocket(socketPath: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ socketPath, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`GET ${path}: HTTP ${res.statusCode}: ${text}`))));
    }).on('error', reject).end();
  });
}
