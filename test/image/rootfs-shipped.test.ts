/**
 * The files shipped into every rootfs image, run here on the host against a scratch root: the
 * boot-time script that applies device.json (through network.jq) and the bond facts parser of the
 * "booted" report. The image runs the same scripts with the same jq (Debian 12's).
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SHIPPED_DIR, readShipped, shippedDigest } from '../../src/image/rootfs/shipped.js';

const LIB = join(SHIPPED_DIR, 'usr/lib/metalboot');
const GOLDEN_DEVICE_JSON = join(import.meta.dirname, '../golden/devicedata/ram-1.json');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-rootfs-'));
  dirs.push(dir);
  return dir;
}

async function applyDeviceData(deviceJson: string): Promise<{ root: string; exitCode: number | undefined; stderr: string }> {
  const root = await scratch();
  await execa('mkdir', ['-p', join(root, 'etc')]);
  await writeFile(join(root, 'device.json'), deviceJson);
  const result = await execa(join(LIB, 'apply-device-data'), [], {
    env: { METALBOOT_ROOT: root, METALBOOT_LIB: LIB, METALBOOT_DEVICE_DATA: join(root, 'device.json') },
    reject: false,
  });
  return { root, exitCode: result.exitCode, stderr: String(result.stderr) };
}

async function listTree(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(join(root, dir), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listTree(root, path)));
    else if (path !== 'device.json') out.push(`== /${path}\n${await readFile(join(root, path), 'utf8')}`);
  }
  return out;
}

describe('apply-device-data (boot-time, before networkd)', () => {
  it('writes bond0 (802.3ad over the slaves matched by permanent MAC), DHCP, the host name and root\'s keys', async () => {
    const { root, exitCode, stderr } = await applyDeviceData(await readFile(GOLDEN_DEVICE_JSON, 'utf8'));
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    await expect((await listTree(root)).join('')).toMatchFileSnapshot('../golden/rootfs/applied-ram-1.txt');
  });

  it.each([
    ['a host name with a space', { hostname: 'ram 1' }, /hostname must be a host name/],
    ['a host name ending in a newline', { hostname: 'ram-1\n' }, /hostname must be a host name/],
    ['an upper-case MAC', { bond: { slaves: ['52:54:00:AA:00:01'] } }, /bond.slaves\[\] must be a lower-case MAC/],
    ['a bond mode carrying another INI line', { bond: { slaves: ['52:54:00:aa:00:01'], mode: '802.3ad\nMTUBytes=1' } }, /bond.mode is not a bonding mode/],
    ['an SSH key of two lines', { ssh_authorized_keys: ['ssh-ed25519 AAAA a\nssh-rsa BBBB b'] }, /must each be one line/],
    ['nine slaves', { bond: { slaves: Array.from({ length: 9 }, (_, i) => `52:54:00:aa:00:0${i}`) } }, /must list 1 to 8 MACs/],
  ])('refuses %s and writes nothing', async (_title, change, message) => {
    const good = JSON.parse(await readFile(GOLDEN_DEVICE_JSON, 'utf8')) as Record<string, unknown>;
    const { root, exitCode, stderr } = await applyDeviceData(JSON.stringify({ ...good, ...change }));
    expect(exitCode).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(await listTree(root)).toEqual([]);
  });

  it('accepts a real ed25519 key (base64 with + and /) and writes it as one line', async () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAFp8Id68GtXMRFIHquIYmq3C2joJf7VnAJ+R9tQfQFA rootfs-e2e';
    const { root, exitCode } = await applyDeviceData(JSON.stringify({ hostname: 'k-1', bond: null, ssh_authorized_keys: [key, `${key}2`] }));
    expect(exitCode).toBe(0);
    expect(await readFile(join(root, 'root/.ssh/authorized_keys'), 'utf8')).toBe(`${key}\n${key}2\n`);
  });

  it('without a bond (no MACs) writes no network files: the image\'s DHCP fallback applies', async () => {
    const { root, exitCode } = await applyDeviceData(JSON.stringify({ hostname: 'bare-1', bond: null, ssh_authorized_keys: [] }));
    expect(exitCode).toBe(0);
    expect((await listTree(root)).map((file) => file.split('\n')[0])).toEqual(['== /etc/hostname', '== /root/.ssh/authorized_keys']);
  });
});

describe('bond-facts.jq (the "bond" facts of the booted report)', () => {
  it('parses /proc/net/bonding/bond0 of an 802.3ad bond with an LACP partner', async () => {
    const { stdout } = await execa('jq', ['-R', '-s', '-L', LIB, 'include "bond-facts"; bond_facts', join(import.meta.dirname, '../fixtures/rootfs/bond0-802.3ad.txt')]);
    await expect(`${stdout}\n`).toMatchFileSnapshot('../golden/rootfs/bond0-facts.json');
  });

  it('gives empty facts, not an error, when the bond does not exist (no input)', async () => {
    const { stdout } = await execa('jq', ['-R', '-s', '-c', '-L', LIB, 'include "bond-facts"; bond_facts'], { input: '' });
    expect(JSON.parse(stdout)).toMatchObject({ settled: false, slaves: [], partner_mac: null });
  });

  it('is not settled while the partner is unknown (all-zero MAC)', async () => {
    const text = (await readFile(join(import.meta.dirname, '../fixtures/rootfs/bond0-802.3ad.txt'), 'utf8'))
      .replace(/Partner Mac Address: .*/, 'Partner Mac Address: 00:00:00:00:00:00');
    const { stdout } = await execa('jq', ['-R', '-s', '-c', '-L', LIB, 'include "bond-facts"; bond_facts'], { input: text });
    expect(JSON.parse(stdout)).toMatchObject({ settled: false, partner_mac: '00:00:00:00:00:00' });
  });

  it('settles a bond of another mode (no LACP partner to wait for) once every slave is up, not before', async () => {
    const text = (await readFile(join(import.meta.dirname, '../fixtures/rootfs/bond0-802.3ad.txt'), 'utf8'))
      .replace('IEEE 802.3ad Dynamic link aggregation', 'fault-tolerance (active-backup)');
    const facts = async (input: string): Promise<unknown> => JSON.parse((await execa('jq', ['-R', '-s', '-c', '-L', LIB, 'include "bond-facts"; bond_facts'], { input })).stdout);
    expect(await facts(text)).toMatchObject({ mode: 'active-backup', settled: true });
    const down = text.replace(/(Slave Interface: [^\n]*\nMII Status: )up/, '$1down');
    expect(down).not.toBe(text);
    expect(await facts(down)).toMatchObject({ mode: 'active-backup', settled: false });
  });
});

describe('shipped files', () => {
  it('are scripts (0755) and configuration (0644), whatever the checkout\'s modes', async () => {
    const files = (await readShipped()).filter((e) => e.type === 'file');
    const modes = Object.fromEntries(files.map((e) => [e.path, e.type === 'file' ? e.mode.toString(8) : '']));
    expect(modes['usr/lib/metalboot/apply-device-data']).toBe('755');
    expect(modes['usr/lib/metalboot/report-booted']).toBe('755');
    expect(modes['usr/lib/systemd/system/metalboot-device.service']).toBe('644');
    expect(Object.values(modes).every((mode) => mode === '755' || mode === '644')).toBe(true);
  });

  it('have one digest that changes with any content or mode', async () => {
    const entries = await readShipped();
    const digest = shippedDigest(entries);
    expect(shippedDigest([...entries].reverse())).toBe(digest);
    const [first, ...rest] = entries.filter((e) => e.type === 'file');
    if (first?.type !== 'file') throw new Error('no shipped file');
    expect(shippedDigest([{ ...first, data: Buffer.concat([first.data, Buffer.from('#')]) }, ...rest])).not.toBe(digest);
    expect(shippedDigest([{ ...first, mode: first.mode ^ 0o111 }, ...rest])).not.toBe(digest);
  });
});
