import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface LinuxkitYaml {
  kernel: { image: string; cmdline: string; ucode?: string };
  init: string[];
  onboot: { name: string; image: string; command?: string[] }[];
  services: { name: string; image: string }[];
}

async function load(name: string): Promise<LinuxkitYaml> {
  return parse(await readFile(new URL(`../../linuxkit/${name}`, import.meta.url), 'utf8')) as LinuxkitYaml;
}

describe('shipped LinuxKit YAML for Equinix Metal', () => {
  it('x86_64: console on ttyS1, Intel microcode, dhcpcd, metadata, getty and sshd', async () => {
    const yml = await load('equinix-metal.yml');
    expect(yml.kernel.cmdline).toContain('console=ttyS1,115200n8');
    expect(yml.kernel.ucode).toBe('intel-ucode.cpio');
    expect(yml.onboot.map((o) => o.name)).toEqual(expect.arrayContaining(['dhcpcd', 'metadata']));
    expect(yml.services.map((s) => s.name)).toEqual(expect.arrayContaining(['getty', 'sshd']));
  });

  it('arm64: console on ttyAMA0, no microcode, modprobe nicvf before dhcpcd', async () => {
    const yml = await load('equinix-metal.arm64.yml');
    expect(yml.kernel.cmdline).toContain('console=ttyAMA0');
    expect(yml.kernel.ucode).toBeUndefined();
    const names = yml.onboot.map((o) => o.name);
    expect(yml.onboot.find((o) => o.name === 'modprobe')?.command).toEqual(['modprobe', 'nicvf']);
    expect(names.indexOf('modprobe')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('modprobe')).toBeLessThan(names.indexOf('dhcpcd'));
  });

  /**
   * What can be shown here of "nicvf before the network" is the YAML's order: LinuxKit runs
   * `onboot` containers one after the other, in file order, and `services` only after all of them.
   * The running order itself cannot be shown: there is no linuxkit binary nor its images here, and
   * QEMU emulates no Cavium ThunderX NIC for nicvf to drive.
   */
  it('arm64: nothing that needs the network runs before nicvf is loaded, and the kernel line configures no NIC itself', async () => {
    const yml = await load('equinix-metal.arm64.yml');
    const names = yml.onboot.map((o) => o.name);
    const nicvf = names.indexOf('modprobe');
    for (const needsNetwork of ['dhcpcd', 'metadata']) expect(names.indexOf(needsNetwork)).toBeGreaterThan(nicvf);
    expect(names.slice(0, nicvf)).toEqual(['rngd1', 'sysctl']);
    expect(yml.services.map((s) => s.name)).toContain('sshd'); // a service: after every onboot step
    expect(yml.kernel.cmdline.split(/\s+/).some((arg) => /^(ip|nfsroot)=/.test(arg))).toBe(false);
  });

  it('pins every image (no floating tags)', async () => {
    for (const file of ['equinix-metal.yml', 'equinix-metal.arm64.yml']) {
      const yml = await load(file);
      const images = [...yml.init, ...yml.onboot.map((o) => o.image), ...yml.services.map((s) => s.image)];
      for (const image of images) expect(image).toMatch(/^linuxkit\/[a-z0-9-]+:[0-9a-f]{40}$/);
    }
  });
});
