/**
 * The Metal simulator's QEMU backing boots like a Metal server's firmware: the disk first when
 * always_pxe is off (falling back to the network when the disk has no boot loader), and after a
 * reboot from inside the guest the VM starts again with the boot device always_pxe says then.
 *
 * Evidence is what the system produced: the script request in the test server's log, and the line
 * a boot sector on the disk writes to ttyS1 (helpers/boot-sector.ts: prints a marker on COM2, then
 * resets the machine through the keyboard controller).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLocalDiskScript } from '../../src/ipxe/local-disk.js';
import type { SimDevice } from '../../src/sim/metal/index.js';
import { createSimBridge } from '../../src/sim/bridge/vm-bridge.js';
import type { SimBridge } from '../../src/sim/bridge/vm-bridge.js';
import { MARKER, writeBootDisk } from './helpers/boot-sector.js';
import { BRIDGE_ADDRESS, HTTP_PORT, TAPS, lacpNetLaunch } from './helpers/lacp-net.js';
import { serveOnUnixSocket } from './helpers/unix-http.js';
import type { UnixHttpServer } from './helpers/unix-http.js';
import { skipUnlessVms } from './helpers/vm-env.js';

const skip = await skipUnlessVms();
// The two-NIC network also needs dnsmasq and the LACP test switch's Python.
const skipNetwork = skip || !existsSync('/usr/sbin/dnsmasq') || !existsSync('/usr/bin/python3');
if (!skip && skipNetwork) console.warn('[skip] two-NIC network boot: missing /usr/sbin/dnsmasq or /usr/bin/python3');
const SCRIPT_URL = 'http://10.0.2.2:8080/ipxe/web-1';

const device = (alwaysPxe: boolean): SimDevice => ({
  id: 'd1', hostname: 'web-1', state: 'active', operatingSystem: 'custom_ipxe', alwaysPxe, plan: 'c3.small.x86', metro: 'da',
  macs: ['52:54:00:aa:00:01'], tags: [], createdAt: '', updatedAt: '', ipxeScriptUrl: SCRIPT_URL,
} as SimDevice);

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe.skipIf(skip)('Metal simulator VMs boot disk-first, like the firmware', () => {
  let dir: string;
  let http: UnixHttpServer;
  let bridge: SimBridge;
  let now: SimDevice;
  const scriptFetches = (): number => http.requests.filter((r) => r.path === '/ipxe/web-1').length;

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-disk-');
    http = await serveOnUnixSocket(dir, { '/ipxe/web-1': { text: '#!ipxe\necho metalboot test script\nshell\n' } });
    now = device(false);
    bridge = createSimBridge({ serverSocket: http.socketPath, workRoot: join(dir, 'vms'), firmware: 'bios', diskGb: 1, current: () => now, timeoutMs: 120_000 });
  });
  afterAll(async () => {
    await bridge?.stopAll();
    await http?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('falls back to the network when the disk has no boot loader', async () => {
    await bridge.hooks.onBoot!(now, { reason: 'reboot', ipxeScriptUrl: SCRIPT_URL });
    await until('the script request', () => scriptFetches() === 1, 90_000);
    const firmware = await execa('cat', [bridge.vm('d1')!.firmwareLog]);
    expect(String(firmware.stdout)).toMatch(/not a bootable disk|Boot failed/);
    await bridge.stopAll();
  }, 120_000);

  it('boots the disk\'s boot loader first; the guest\'s reboot restarts the VM from the network once always_pxe is on', async () => {
    await rm(join(dir, 'vms/web-1/disk.qcow2'));
    await writeBootDisk(join(dir, 'mbr.raw'), join(dir, 'vms/web-1/disk.qcow2'));
    const before = scriptFetches();
    now = device(true); // read at the guest's reboot, not at this boot
    await bridge.hooks.onBoot!(device(false), { reason: 'reboot', ipxeScriptUrl: SCRIPT_URL });
    const first = bridge.vm('d1')!;
    await first.waitForConsole(new RegExp(MARKER), 90_000);
    expect(scriptFetches()).toBe(before); // the disk came first: no network boot
    expect(await first.rebooted).toBe(true); // -no-reboot: the boot sector's reset ended QEMU, and QMP says why
    await until('the restarted VM\'s script request', () => scriptFetches() === before + 1, 90_000);
    expect(bridge.vm('d1')).not.toBe(first);
  }, 200_000);

  it('an installed device that still network-boots gets the local-disk script, and real iPXE hands the boot to the disk', async () => {
    await bridge.stopAll();
    // The server's answer once the boot has reported "installed" (src/ipxe/local-disk.ts), served as the device's script.
    const local = await serveOnUnixSocket(dir, { '/ipxe/web-1': { text: renderLocalDiskScript('web-1') } }, 'local.sock');
    const localBridge = createSimBridge({ serverSocket: local.socketPath, workRoot: join(dir, 'vms-local'), firmware: 'bios', diskGb: 1, current: () => device(true), timeoutMs: 120_000 });
    try {
      await mkdir(join(dir, 'vms-local/web-1'), { recursive: true });
      await writeBootDisk(join(dir, 'mbr-local.raw'), join(dir, 'vms-local/web-1/disk.qcow2'));
      await localBridge.hooks.onBoot!(device(true), { reason: 'reboot', ipxeScriptUrl: SCRIPT_URL }); // always_pxe on: the network first
      const vm = localBridge.vm('d1')!;
      await vm.waitForConsole(new RegExp(MARKER), 120_000); // only the disk's boot sector prints it
      expect(local.requests.filter((r) => r.path === '/ipxe/web-1').length).toBe(1); // iPXE ran the script first
      const firmware = String((await execa('cat', [vm.firmwareLog])).stdout);
      expect(firmware, firmware).toContain('metalboot: web-1 is installed; booting its local disk');
      expect(firmware, firmware).toMatch(/Booting from SAN device 0x8/); // BIOS: sanboot --drive 0x80
    } finally {
      await localBridge.stopAll();
      await local.close();
    }
  }, 200_000);
});

describe.skipIf(skipNetwork)('a simulated device on two NICs behind the LACP test switch', () => {
  const macs = ['52:54:00:aa:00:01', '52:54:00:aa:00:02'] as const;
  const scriptUrl = `http://${BRIDGE_ADDRESS}:${HTTP_PORT}/ipxe/web-1`;
  let dir: string;
  let http: UnixHttpServer;
  let bridge: SimBridge;

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-lacp-');
    http = await serveOnUnixSocket(dir, { '/ipxe/web-1': { text: '#!ipxe\necho metalboot test script\nshell\n' } });
    bridge = createSimBridge({
      serverSocket: http.socketPath, workRoot: join(dir, 'vms'), firmware: 'bios', diskGb: 1, timeoutMs: 120_000,
      network: {
        serverHost: BRIDGE_ADDRESS,
        taps: (d) => TAPS.map((tap, i) => ({ tap, mac: d.macs[i]! })),
        launch: (_d, workDir, qemu) => lacpNetLaunch(workDir, scriptUrl, qemu),
      },
    });
  });
  afterAll(async () => {
    await bridge?.stopAll();
    await http?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('network-boots from the first NIC through the switch\'s LACP fallback port: DHCP from dnsmasq, then the script', async () => {
    await bridge.hooks.onBoot!({ ...device(true), macs: [...macs], ipxeScriptUrl: scriptUrl } as SimDevice, { reason: 'reboot', ipxeScriptUrl: scriptUrl });
    await until('the script request', () => http.requests.some((r) => r.path === '/ipxe/web-1'), 90_000);
    const leases = String((await execa('cat', [join(dir, 'vms/web-1/leases')])).stdout);
    expect(leases).toContain(macs[0]);
    expect(leases).not.toContain(macs[1]);
    const qemuArgv = String((await execa('cat', [join(dir, 'vms/web-1/net.sh')])).stdout);
    expect(qemuArgv).toContain(`mac=${macs[1]},speed=10000,duplex=full`);
  }, 120_000);
});
