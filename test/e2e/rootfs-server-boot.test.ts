/**
 * The RAM image (type: rootfs) boots through the real metalboot server: the VM's firmware (BIOS,
 * the NIC's iPXE ROM) fetches the device's script, which loads the kernel, the image's initrd and
 * then the device's data (GET /device-data/<device>.cpio?token=…) as a second initrd; the system
 * configures itself from it and POSTs its own "booted" report to the server. Passes only on what
 * the system produced: the server's recorded events (each fetch, the report and its facts), the
 * login prompt on ttyS1, and the kernel's view read back over SSH with the device's key.
 *
 * Needs the image built by test/setup/artifacts.ts ($METALBOOT_CACHE_DIR/rootfs-state).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootfsTestState } from '../setup/cache.js';
import { SHIPPED_DIR } from '../../src/image/rootfs/shipped.js';
import { SWITCH_MAC } from './helpers/lacp-net.js';
import { BOOT_TIMEOUT_MS, MACS, leasedAddress } from './helpers/ram-boot.js';
import type { ServerBoot } from './helpers/ram-server-boot.js';
import { bootRamImageThroughServer } from './helpers/ram-server-boot.js';

const STATE = rootfsTestState();
const LIB = join(SHIPPED_DIR, 'usr/lib/metalboot');

async function skipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (network namespaces, taps and QEMU need root here)';
  for (const program of ['qemu-system-x86_64', 'dnsmasq', 'jq', 'ssh', 'nsenter']) {
    if ((await execa('sh', ['-c', `command -v ${program}`], { reject: false })).exitCode !== 0) return `missing ${program}`;
  }
  if (!existsSync('/usr/bin/python3')) return 'missing /usr/bin/python3 (the LACP test switch)';
  if (!existsSync('/usr/lib/ipxe/qemu/pxe-virtio.rom')) return 'missing the virtio NIC ROM (ipxe-qemu)';
  if (!existsSync(join(STATE, 'images/ram.json'))) return `no rootfs image built in ${STATE}: run npm test as root (its global setup builds it)`;
  return undefined;
}

const reason = await skipReason();
if (reason) console.warn(`[skip] rootfs boot through the server: ${reason}`);

interface BondFacts {
  mode: string; lacp_rate: string; miimon: number; xmit_hash_policy: string; partner_mac: string;
  active_aggregator_id: number; aggregator_ids: number[]; slaves: { name: string; mac: string }[];
}

describe.skipIf(reason !== undefined)('RAM image booted through the real server: script → kernel → initrd → device data → "booted"', () => {
  let boot: ServerBoot;
  beforeAll(async () => {
    boot = await bootRamImageThroughServer({ state: STATE, device: 'ram-1' });
    const at = (kind: string) => boot.events.find((e) => e.kind === kind)?.at;
    console.log(`[rootfs server e2e] QEMU start → script ${at('script')} ms, kernel ${at('kernel')} ms, initrd ${at('initrd')} ms, device data ${at('device-data')} ms, login prompt ${boot.login} ms, booted report ${boot.booted()?.at} ms (BIOS, iPXE ROM, TCG, 2 vCPUs)`);
  }, BOOT_TIMEOUT_MS + 90_000);
  afterAll(async () => boot?.stop());

  it('the served script loads the device data after the image\'s initrd, with the token in its URL and never on the kernel line', () => {
    expect(boot.token).toMatch(/^[0-9a-f]{32,}$/);
    const lines = boot.script.split('\n');
    for (const kernel of lines.filter((l) => l.startsWith('kernel '))) expect(kernel).not.toContain(boot.token);
    const bios = lines.filter((l) => l.startsWith('initrd http'));
    expect(bios[1]).toContain(`/device-data/ram-1.cpio?token=${boot.token} `);
  });

  it("records the device's fetches in order — script, kernel, initrd, its data — then its own booted report", async () => {
    const report = boot.booted();
    expect(report, await boot.evidence()).toBeDefined();
    const mine = boot.events.filter((e) => e.device === 'ram-1');
    expect(mine.map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd', 'device-data', 'phone-home']);
    // recorded only after authorizeAnswer accepted the token the script carried
    expect(mine[3]).toMatchObject({ kind: 'device-data', path: '/device-data/ram-1.cpio' });
    expect(mine[3]!.bytes).toBeGreaterThan(512);
  });

  it('the report carries facts the kernel produced: host name from the data, bond0 aggregated behind the switch', () => {
    const facts = boot.booted()!.facts as { hostname: string; cmdline: string; bond: BondFacts; addresses: unknown[] };
    expect(facts.hostname).toBe('ram-1');
    expect(facts.cmdline).toContain('console=ttyS1,115200n8');
    expect(facts.cmdline).not.toContain(boot.token);
    expect(facts.bond).toMatchObject({ mode: '802.3ad', lacp_rate: 'slow', miimon: 100, xmit_hash_policy: 'layer3+4', partner_mac: SWITCH_MAC });
    expect(facts.bond.slaves.map((s) => s.mac).sort()).toEqual([...MACS]);
    expect(facts.bond.aggregator_ids).toEqual([facts.bond.active_aggregator_id, facts.bond.active_aggregator_id]);
    expect(facts.addresses).toEqual(expect.arrayContaining([expect.objectContaining({ ifname: 'bond0', family: 'inet' })]));
  });

  it('shows "ram-1 login:" on ttyS1, and over SSH with the device\'s key the kernel agrees: host name, bond0, data file', async () => {
    expect(boot.login, await boot.evidence()).toBeDefined();
    const address = await leasedAddress(boot.dir, MACS[0]);
    expect(address, await boot.evidence()).toMatch(/^10\.77\.0\.\d+$/);
    const ssh = await boot.inNetns([
      'ssh', '-i', join(boot.dir, 'id'), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'ConnectTimeout=20', `root@${address}`,
      'hostname; echo @@; cat /proc/net/bonding/bond0; echo @@; cat /proc/cmdline; echo @@; stat -c "%a %U" /etc/metalboot/device.json; jq -r .report.url /etc/metalboot/device.json',
    ]);
    expect(ssh.exitCode, String(ssh.stderr)).toBe(0);
    const [hostname, bonding, cmdline, data] = String(ssh.stdout).split('\n@@\n');
    expect(hostname?.trim()).toBe('ram-1');
    const parsed = await execa('jq', ['-R', '-s', '-c', '-L', LIB, 'include "bond-facts"; bond_facts'], { input: bonding });
    expect(JSON.parse(String(parsed.stdout))).toMatchObject({ mode: '802.3ad', partner_mac: SWITCH_MAC, settled: true });
    // The device's data carries the token of the VM's own script fetch (bound to its address; the
    // test's earlier fetch got another one) — the one its booted report was accepted with.
    const [mode, reportUrl] = data?.trim().split('\n') ?? [];
    expect(mode).toBe('600 root');
    const vmToken = /^http:\/\/10\.77\.0\.1:8080\/events\/ram-1\?token=([0-9a-f]{64})$/.exec(reportUrl ?? '')?.[1];
    expect(vmToken, reportUrl).toBeDefined();
    expect(cmdline).not.toContain(vmToken);
    expect(cmdline).not.toContain(boot.token);
  });
});
