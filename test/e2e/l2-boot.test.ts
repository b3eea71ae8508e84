/**
 * Issue 12's own-L2 boot: `metalboot serve --dhcp proxy --interface l2br0` next to a "site" DHCP
 * server that hands out addresses only, in a private namespace (helpers/l2-net.ts). QEMU VMs boot
 * from their NICs with no QEMU user networking: under SeaBIOS the NIC's iPXE ROM asks DHCP, gets
 * the HTTP chain from metalboot's proxy; under OVMF the firmware's own PXE gets snponly.efi over
 * TFTP, then that iPXE gets the chain. Both fetch /boot.ipxe, their script by MAC, kernel and
 * initrd, and reach the kernel's init. A VM whose MAC is not in the config gets an address from the
 * site and nothing from metalboot.
 *
 * Evidence: the server's own boot events (over its unix socket), dnsmasq's log lines as relayed
 * into serve's log, the site's leases, and each VM's serial console.
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
import { IPXE_SNPONLY_EFI, IPXE_UNDIONLY_KPXE, OVMF_VARS } from '../../src/host/debian-files.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { consoleText } from '../../src/vm/console-text.js';
import { spawnInNetns } from '../../src/vm/netns.js';
import type { NetnsProcess } from '../../src/vm/netns.js';
import { HTTP_PORT, L2_BRIDGE, SERVER_ADDRESS, l2NetScript } from './helpers/l2-net.js';
import type { L2Vm } from './helpers/l2-net.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, vmSkipReason } from './helpers/vm-env.js';

const OPERATOR_TOKEN = 'l2-e2e-operator-token';
process.env.METALBOOT_TOKEN = OPERATOR_TOKEN; // serve (a child) requires it for /api; reimage --wait sends it

const BOOT_TIMEOUT_MS = 540_000;
const VMS: readonly L2Vm[] = [
  { name: 'l2-bios', mac: '52:54:00:4c:32:01', firmware: 'bios' },
  { name: 'l2-uefi', mac: '52:54:00:4c:32:02', firmware: 'uefi' },
  { name: 'stranger', mac: '52:54:00:4c:32:09', firmware: 'bios' },
];
const [BIOS, UEFI, STRANGER] = VMS as [L2Vm, L2Vm, L2Vm];
const INIT = /Run \/init as init process/;

async function skipReason(): Promise<string | undefined> {
  const vmReason = await vmSkipReason();
  if (vmReason) return vmReason;
  for (const file of ['/usr/sbin/dnsmasq', IPXE_UNDIONLY_KPXE, IPXE_SNPONLY_EFI]) if (!existsSync(file)) return `missing ${file}`;
  return undefined;
}
const reason = await skipReason();
if (reason) console.warn(`[skip] own-L2 boot e2e: ${reason}`);

function configText(state: string, vms: readonly L2Vm[]): string {
  const devices = vms.map((vm) => `  ${vm.name}:\n    image: deb\n    macs: ["${vm.mac}"]\n    firmware: ${vm.firmware}\n`).join('');
  return `server:\n  listen: ${SERVER_ADDRESS}:${HTTP_PORT}\n  public_url: http://${SERVER_ADDRESS}:${HTTP_PORT}\n  state_dir: ${state}\n` +
    `images:\n  deb: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }\ndevices:\n${devices}`;
}

interface LogLine { time: number; msg?: string; dnsmasq?: string; path?: string; client?: string; url?: string }

describe.skipIf(reason !== undefined)('own L2: serve --dhcp proxy next to a site DHCP server, VMs boot from their NICs', () => {
  let dir: string;
  let net: NetnsProcess;
  /** ms since epoch each VM's QEMU started; when the test saw init on its console. */
  const started: Record<string, number> = {};
  const init: Record<string, number> = {};

  const serveLog = async (): Promise<LogLine[]> =>
    (await readFile(join(dir, 'serve.log'), 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
  const events = (device: string): Promise<BootEvent[]> => getJson(join(dir, 'serve.sock'), `/api/devices/${device}/events`) as Promise<BootEvent[]>;
  const evidence = async (): Promise<string> => {
    const tail = async (file: string) => (await readFile(join(dir, file), 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
    return (await Promise.all(['serve.log', 'netns.log', 'site.log', ...VMS.flatMap((vm) => [`${vm.name}/ttyS0.log`, `${vm.name}/ttyS1.log`])].map(async (f) => `--- ${f}\n${consoleText(await tail(f))}`))).join('\n');
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-l2-e2e-'));
    const state = join(dir, 'state');
    const kernel = await addAssetFromFile(state, NETBOOT_KERNEL, 'linux');
    const initrd = await addAssetFromFile(state, NETBOOT_INITRD, 'initrd.gz');
    await writeManifest(state, {
      schema: 1, name: 'deb', type: 'files', installer: true,
      variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['priority=critical', 'metalboot.device={{device}}'] } },
    });
    await writeFile(join(dir, 'metalboot.yaml'), configText(state, [BIOS, UEFI]));
    for (const vm of VMS) {
      await mkdir(join(dir, vm.name));
      if (vm.firmware === 'uefi') await copyFile(OVMF_VARS, join(dir, vm.name, 'OVMF_VARS.fd'));
      else await writeFile(join(dir, vm.name, 'sercon-port.bin'), Buffer.from([0xf8, 0x03]));
    }
    const cli = cliArgv();
    // `metalboot arm`, as an operator does for boots no provider triggers: scripts are served during an armed boot only
    for (const vm of [BIOS, UEFI]) await execa(cli.file, [...cli.args, 'arm', vm.name, '--for', '1h', '--config', join(dir, 'metalboot.yaml')]);
    const serve = [cli.file, ...cli.args, 'serve', '--config', join(dir, 'metalboot.yaml'), '--socket', join(dir, 'serve.sock'), '--dhcp', 'proxy', '--interface', L2_BRIDGE];
    await writeFile(join(dir, 'net.sh'), l2NetScript({ dir, serve, vms: VMS, memoryMb: 768 }));
    net = await spawnInNetns({ file: 'sh', args: [join(dir, 'net.sh')], forwards: [], output: { file: join(dir, 'netns.log') }, timeoutMs: BOOT_TIMEOUT_MS + 120_000 });

    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    while (Date.now() < deadline && !net.isDone() && (init[BIOS.name] === undefined || init[UEFI.name] === undefined)) {
      for (const vm of [BIOS, UEFI]) {
        started[vm.name] ??= Number((await readFile(join(dir, `${vm.name}.start`), 'utf8').catch(() => '')).trim()) || (undefined as unknown as number);
        if (init[vm.name] === undefined && INIT.test(consoleText(await readFile(join(dir, vm.name, 'ttyS1.log'), 'utf8').catch(() => '')))) init[vm.name] = Date.now();
      }
      await sleep(500);
    }
    started[STRANGER.name] = Number((await readFile(join(dir, `${STRANGER.name}.start`), 'utf8').catch(() => '0')).trim());
  }, BOOT_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await net?.stop();
    await rm(`/run/metalboot/dhcp-${L2_BRIDGE}`, { recursive: true, force: true }); // serve --dhcp's files (its default place)
    if (process.env.METALBOOT_KEEP_E2E) console.log(`[l2 e2e] kept ${dir}`);
    else if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([BIOS, UEFI])('$name ($firmware) reaches init after script → kernel → initrd from metalboot, its proxy offer in the relayed dnsmasq log', async (vm) => {
    expect(init[vm.name], await evidence()).toBeDefined();
    const fetches = (await events(vm.name)).filter((e) => e.kind === 'script' || e.kind === 'kernel' || e.kind === 'initrd');
    expect(fetches.map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd']);
    expect(fetches[0]!.path).toBe(`/ipxe/${vm.mac.replaceAll(':', '-')}`);
    const log = await serveLog();
    const offer = log.find((l) => l.dnsmasq === 'dhcp' && l.msg?.includes(`PXE(${L2_BRIDGE}) ${vm.mac} proxy`));
    expect(offer, 'dnsmasq\'s proxy offer, relayed into serve\'s log').toBeDefined();
    const console1 = consoleText(await readFile(join(dir, vm.name, 'ttyS1.log'), 'utf8'));
    expect(console1).toContain(`metalboot.device=${vm.name}`);

    const t0 = started[vm.name]!;
    const at = (iso: string) => Date.parse(iso) - t0;
    const tftp = log.find((l) => l.dnsmasq === 'tftp' && /sent .*snponly\.efi/.test(l.msg ?? ''));
    if (vm.firmware === 'uefi') expect(tftp, 'OVMF\'s PXE fetched snponly.efi over TFTP').toBeDefined();
    const phases = {
      proxy_offer: offer!.time - t0,
      ...(vm.firmware === 'uefi' ? { tftp_ipxe: tftp!.time - t0 } : {}),
      script: at(fetches[0]!.time), kernel: at(fetches[1]!.time), initrd: at(fetches[2]!.time), init: init[vm.name]! - t0,
    };
    console.log(`[l2 e2e] ${vm.firmware.toUpperCase()} phases, ms from QEMU start: ${JSON.stringify(phases)}`);
  });

  it('the unconfigured MAC got an address from the site, and from metalboot no offer, no script, no event', async () => {
    const leases = await readFile(join(dir, 'site.leases'), 'utf8').catch(() => '');
    const address = leases.split('\n').map((l) => l.split(' ')).find((f) => f[1] === STRANGER.mac)?.[2];
    expect(address, await evidence()).toMatch(/^10\.79\.0\.1\d\d$/);
    const log = await serveLog();
    const seen = log.filter((l) => l.dnsmasq === 'dhcp' && l.msg?.includes(STRANGER.mac));
    expect(seen.some((l) => /proxy$/.test(l.msg ?? ''))).toBe(false);
    expect(log.filter((l) => address !== undefined && (l.client ?? "").endsWith(address))).toEqual([]);
    expect(await events(STRANGER.mac)).toEqual([]);
    console.log(`[l2 e2e] stranger ${STRANGER.mac}: site lease ${address}; dnsmasq lines naming it: ${[...new Set(seen.map((l) => l.msg?.replace(/^\d+ /, '')))].join(' | ') || '(none)'}`);
  });

  it('once the stranger is added to the config and serve gets SIGHUP, dnsmasq (not restarted) answers it and it fetches its script', async () => {
    await writeFile(join(dir, 'metalboot.yaml'), configText(join(dir, 'state'), VMS));
    const cli = cliArgv();
    await execa(cli.file, [...cli.args, 'arm', STRANGER.name, '--for', '1h', '--config', join(dir, 'metalboot.yaml')]);
    const added = Date.now();
    process.kill(Number((await readFile(join(dir, 'serve.pid'), 'utf8')).trim()), 'SIGHUP');
    const deadline = Date.now() + 150_000;
    let script: BootEvent | undefined;
    while (!script && Date.now() < deadline && !net.isDone()) {
      await sleep(1_000);
      script = (await events(STRANGER.name)).find((e) => e.kind === 'script');
    }
    expect(script, await evidence()).toBeDefined();
    const log = await serveLog();
    expect(log.some((l) => l.dnsmasq === 'dhcp' && l.msg?.endsWith(`PXE(${L2_BRIDGE}) ${STRANGER.mac} proxy`))).toBe(true);
    expect(log.filter((l) => l.msg === 'dnsmasq started')).toHaveLength(1); // the hosts directory was re-read, dnsmasq kept running
    console.log(`[l2 e2e] stranger added: script fetched ${Date.parse(script!.time) - added} ms after the SIGHUP`);
  }, 170_000);
});

function getJson(socketPath: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request({ socketPath, path, method: 'GET', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error as Error);
        }
      });
    }).on('error', reject).end();
  });
}
