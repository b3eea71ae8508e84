/**
 * `metalboot serve --dhcp full --range …` on a lab L2 with no other DHCP server: metalboot's
 * dnsmasq hands out the address too. An OVMF VM's own PXE (client arch 7) gets snponly.efi by
 * `dhcp-boot` over TFTP, that iPXE gets `/boot.ipxe`, and the VM reaches the kernel's init by its
 * script. Evidence: dnsmasq's DHCPACK and TFTP lines relayed into serve's log, the server's boot
 * events, the VM's console. (The proxy mode and BIOS: l2-boot.test.ts.)
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgv } from '../../src/demo/cli-in-netns.js';
import type { BootEvent } from '../../src/events/types.js';
import { IPXE_SNPONLY_EFI, OVMF_VARS } from '../../src/host/debian-files.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { consoleText } from '../../src/vm/console-text.js';
import { spawnInNetns } from '../../src/vm/netns.js';
import type { NetnsProcess } from '../../src/vm/netns.js';
import { HTTP_PORT, SERVER_ADDRESS, l2NetScript } from './helpers/l2-net.js';
import type { L2Vm } from './helpers/l2-net.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, vmSkipReason } from './helpers/vm-env.js';

const OPERATOR_TOKEN = 'l2-e2e-operator-token';
process.env.METALBOOT_TOKEN = OPERATOR_TOKEN; // serve (a child) requires it for /api; reimage --wait sends it

const L2_BRIDGE = 'l2brf'; // its own: serve --dhcp's files are per interface name
const BOOT_TIMEOUT_MS = 420_000;
const VM: L2Vm = { name: 'lab-uefi', mac: '52:54:00:4c:46:02', firmware: 'uefi' };

async function skipReason(): Promise<string | undefined> {
  const vmReason = await vmSkipReason();
  if (vmReason) return vmReason;
  for (const file of ['/usr/sbin/dnsmasq', IPXE_SNPONLY_EFI]) if (!existsSync(file)) return `missing ${file}`;
  return undefined;
}
const reason = await skipReason();
if (reason) console.warn(`[skip] own-L2 full DHCP e2e: ${reason}`);

interface LogLine { time: number; msg?: string; dnsmasq?: string }

describe.skipIf(reason !== undefined)('own L2: serve --dhcp full hands out the address and boots an OVMF VM', () => {
  let dir: string;
  let net: NetnsProcess;
  let initAt: number | undefined;
  let startedAt = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-l2-full-e2e-'));
    const state = join(dir, 'state');
    const kernel = await addAssetFromFile(state, NETBOOT_KERNEL, 'linux');
    const initrd = await addAssetFromFile(state, NETBOOT_INITRD, 'initrd.gz');
    await writeManifest(state, {
      schema: 1, name: 'deb', type: 'files', installer: true,
      variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['priority=critical', 'metalboot.device={{device}}'] } },
    });
    await writeFile(join(dir, 'metalboot.yaml'),
      `server:\n  listen: ${SERVER_ADDRESS}:${HTTP_PORT}\n  public_url: http://${SERVER_ADDRESS}:${HTTP_PORT}\n  state_dir: ${state}\n` +
      `images:\n  deb: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }\ndevices:\n  ${VM.name}:\n    image: deb\n    macs: ["${VM.mac}"]\n    firmware: uefi\n`);
    await mkdir(join(dir, VM.name));
    await copyFile(OVMF_VARS, join(dir, VM.name, 'OVMF_VARS.fd'));
    const cli = cliArgv();
    // `metalboot arm`, as an operator does for a boot no provider triggers: the script is served during an armed boot only
    await execa(cli.file, [...cli.args, 'arm', VM.name, '--for', '1h', '--config', join(dir, 'metalboot.yaml')]);
    const serve = [cli.file, ...cli.args, 'serve', '--config', join(dir, 'metalboot.yaml'), '--socket', join(dir, 'serve.sock'),
      '--dhcp', 'full', '--interface', L2_BRIDGE, '--range', '10.79.0.50,10.79.0.59'];
    await writeFile(join(dir, 'net.sh'), l2NetScript({ dir, bridge: L2_BRIDGE, serve, vms: [VM], memoryMb: 768, site: false }));
    net = await spawnInNetns({ file: 'sh', args: [join(dir, 'net.sh')], forwards: [], output: { file: join(dir, 'netns.log') }, timeoutMs: BOOT_TIMEOUT_MS + 120_000 });
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    while (Date.now() < deadline && !net.isDone() && initAt === undefined) {
      startedAt ||= Number((await readFile(join(dir, `${VM.name}.start`), 'utf8').catch(() => '')).trim()) || 0;
      if (/Run \/init as init process/.test(consoleText(await readFile(join(dir, VM.name, 'ttyS1.log'), 'utf8').catch(() => '')))) initAt = Date.now();
      await sleep(500);
    }
  }, BOOT_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await net?.stop();
    await rm(`/run/metalboot/dhcp-${L2_BRIDGE}`, { recursive: true, force: true });
    if (process.env.METALBOOT_KEEP_E2E) console.log(`[l2 full e2e] kept ${dir}`);
    else if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leases from the range, sends snponly.efi over TFTP, then the chain: script → kernel → initrd → init', async () => {
    const log = (await readFile(join(dir, 'serve.log'), 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
    const tail = async (f: string) => consoleText((await readFile(join(dir, f), 'utf8').catch(() => '')).split('\n').slice(-25).join('\n'));
    expect(initAt, `${await tail('serve.log')}\n${await tail('netns.log')}\n${await tail(`${VM.name}/ttyS0.log`)}`).toBeDefined();
    const ack = log.find((l) => l.dnsmasq === 'dhcp' && new RegExp(`DHCPACK\\(${L2_BRIDGE}\\) 10\\.79\\.0\\.5\\d ${VM.mac}`).test(l.msg ?? ''));
    expect(ack, 'metalboot\'s dnsmasq leased an address from --range').toBeDefined();
    const tftp = log.find((l) => l.dnsmasq === 'tftp' && /sent .*snponly\.efi/.test(l.msg ?? ''));
    expect(tftp).toBeDefined();
    const events = await new Promise<BootEvent[]>((resolve, reject) => {
      request({ socketPath: join(dir, 'serve.sock'), path: `/api/devices/${VM.name}/events`, headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString())).on('end', () => resolve(JSON.parse(body) as BootEvent[]));
      }).on('error', reject).end();
    });
    const fetches = events.filter((e) => e.kind === 'script' || e.kind === 'kernel' || e.kind === 'initrd');
    expect(fetches.map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd']);
    const at = (ms: number) => ms - startedAt;
    console.log(`[l2 full e2e] UEFI phases, ms from QEMU start: ${JSON.stringify({ dhcp_ack: at(ack!.time), tftp_ipxe: at(tftp!.time), script: at(Date.parse(fetches[0]!.time)), kernel: at(Date.parse(fetches[1]!.time)), initrd: at(Date.parse(fetches[2]!.time)), init: at(initAt!) })}`);
  });
});
