import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDnsmasqConfig } from '../../src/dhcp/index.js';
import type { DnsmasqConfigInput } from '../../src/dhcp/index.js';
import { UsageError } from '../../src/errors.js';
import { findProgram } from '../../src/host/files.js';

const base: DnsmasqConfigInput = {
  mode: 'proxy',
  interface: 'eno1',
  network: { address: '10.0.0.0', netmask: '255.255.255.0' },
  bootUrl: 'http://10.0.0.5:8080/boot.ipxe',
  bootFiles: { bios: 'undionly.kpxe', efiX86_64: 'snponly.efi', efiArm64: 'ipxe-arm64.efi' },
  tftpRoot: '/run/metalboot/dhcp-eno1/tftp',
  hostsDir: '/run/metalboot/dhcp-eno1/hosts.d',
  leaseFile: '/run/metalboot/dhcp-eno1/leases',
  pidFile: '/run/metalboot/dhcp-eno1/dnsmasq.pid',
};
const full: DnsmasqConfigInput = { ...base, mode: 'full', range: { start: '10.0.0.100', end: '10.0.0.199' } };

const dnsmasq = await findProgram('dnsmasq');
const dir = await mkdtemp(join(tmpdir(), 'metalboot-dnsmasq-conf-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('dnsmasq config for serve --dhcp', () => {
  it('proxy: no DNS, one interface, only known MACs, pxe-service per architecture, the HTTP chain for iPXE', async () => {
    await expect(renderDnsmasqConfig(base)).toMatchFileSnapshot('../golden/dhcp/proxy.conf');
  });

  it('full: a range, and dhcp-boot by client architecture (option 93) for firmware that is not iPXE yet', async () => {
    await expect(renderDnsmasqConfig(full)).toMatchFileSnapshot('../golden/dhcp/full.conf');
  });

  it('leaves the arm64 entry out when there is no arm64 iPXE', () => {
    const text = renderDnsmasqConfig({ ...base, bootFiles: { bios: 'undionly.kpxe', efiX86_64: 'snponly.efi' } });
    expect(text).not.toContain('ARM64');
    expect(text).toContain('pxe-service=tag:!ipxe,X86-64_EFI');
  });

  it('never hands iPXE to iPXE: every TFTP boot line excludes the ipxe tag, the HTTP line requires it', () => {
    for (const input of [base, full]) {
      const lines = renderDnsmasqConfig(input).split('\n');
      const boots = lines.filter((line) => /^(pxe-service|dhcp-boot)=/.test(line));
      for (const line of boots) expect(line.includes('/boot.ipxe') ? /^(dhcp-boot|pxe-service)=tag:ipxe,/.test(line) : line.includes('tag:!ipxe')).toBe(true);
    }
  });

  it.each([
    ['an interface with a space', { ...base, interface: 'en o1' }, /interface name/],
    ['a boot URL with a comma', { ...base, bootUrl: 'http://10.0.0.5:8080/boot.ipxe,evil' }, /cannot be handed out/],
    ['a boot URL with a newline', { ...base, bootUrl: 'http://10.0.0.5/\nport=53' }, /cannot be handed out/],
    ['a path with a newline', { ...base, tftpRoot: '/srv/tftp\ndhcp-range=0.0.0.0' }, /cannot be written into a dnsmasq config/],
    ['full without a range', { ...base, mode: 'full' as const }, /needs --range/],
    ['a range that is not IPv4', { ...full, range: { start: '10.0.0.300', end: '10.0.0.1' } }, /not an IPv4 address/],
  ])('refuses %s', (_name, input, message) => {
    expect(() => renderDnsmasqConfig(input)).toThrow(UsageError);
    expect(() => renderDnsmasqConfig(input)).toThrow(message);
  });

  it.skipIf(!dnsmasq)('dnsmasq --test accepts both renderings', async () => {
    for (const [name, input] of [['proxy', base], ['full', full]] as const) {
      const file = join(dir, `${name}.conf`);
      await writeFile(file, renderDnsmasqConfig(input));
      const result = await execa(dnsmasq!, ['--test', `--conf-file=${file}`], { reject: false, all: true });
      expect(result.exitCode, String(result.all)).toBe(0);
      expect(String(result.all)).toMatch(/syntax check OK/);
    }
  });
});
