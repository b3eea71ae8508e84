/**
 * The QEMU provider through the Provider interface: a configured device is a VM that boots its
 * own script from the server, shows up as active (also to another command), has its console on
 * ttyS1, and is gone after power_off.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/types.js';
import { loadServerSecret } from '../../../src/config/secret.js';
import { buildImage } from '../../../src/image/build.js';
import { QemuProvider } from '../../../src/providers/qemu/provider.js';
import { createLogger, startServer } from '../../../src/server/index.js';
import type { RunningServer } from '../../../src/server/index.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, skipUnlessVms } from '../../e2e/helpers/vm-env.js';
import { groupAlive } from '../../../src/vm/vm-registry.js';
import { MARKER, writeBootDisk } from '../../e2e/helpers/boot-sector.js';

const skip = await skipUnlessVms();

describe.skipIf(skip)('QEMU provider', () => {
  let dir: string;
  let config: Config;
  let server: RunningServer;
  let provider: QemuProvider;

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-qp-');
    await writeFile(join(dir, 'metalboot.yaml'), [
      'server:',
      '  public_url: http://10.0.2.2:8080',
      `  state_dir: ${join(dir, 'state')}`,
      'images:',
      `  netboot: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }`,
      `  inst: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }`,
      'devices:',
      '  web-1: { image: netboot, macs: ["52:54:00:aa:00:01"], firmware: bios, kernel_args: [metalboot.qemu=web-1] }',
      '  disk-1: { image: inst, macs: ["52:54:00:aa:00:09"], firmware: bios }',
      '',
    ].join('\n'));
    config = await loadConfig(join(dir, 'metalboot.yaml'));
    await buildImage(config, 'netboot');
    await buildImage(config, 'inst');
    // What makes the provider give a VM a disk: an image that installs (debian, alma). Said here of a files image.
    const manifestFile = join(dir, 'state/images/inst.json');
    await writeFile(manifestFile, JSON.stringify({ ...JSON.parse(await readFile(manifestFile, 'utf8')) as object, installer: true }));
    server = await startServer({
      config, secret: await loadServerSecret(config.server.stateDir), listen: false, socketPath: join(dir, 'server.sock'),
      logger: createLogger({ level: 'info', destination: join(dir, 'server.log') }),
    });
    server.context.boots.arm('web-1'); // its script is served during an armed boot only
    server.context.boots.arm('disk-1');
    provider = new QemuProvider({ config, serverSocket: join(dir, 'server.sock') });
  });
  afterAll(async () => {
    await provider?.close();
    await server?.close(1_000);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists configured devices as powered-off VMs', async () => {
    expect(await provider.listDevices()).toEqual([
      { id: 'web-1', hostname: 'web-1', operatingSystem: 'custom_ipxe', plan: 'qemu-bios', state: 'inactive', alwaysPxe: false, macs: ['52:54:00:aa:00:01'] },
      { id: 'disk-1', hostname: 'disk-1', operatingSystem: 'custom_ipxe', plan: 'qemu-bios', state: 'inactive', alwaysPxe: false, macs: ['52:54:00:aa:00:09'] },
    ]);
  });

  it('reboots a device into its own script, with the console on ttyS1, visible to another command, until power_off', async () => {
    await provider.updateDevice('web-1', { alwaysPxe: true });
    await provider.reboot('52-54-00-AA-00-01'); // any MAC spelling finds the device
    const vm = provider.vm('web-1')!;
    const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, 240_000);
    expect(cmdline[1]).toContain('metalboot.qemu=web-1');
    expect(cmdline[1]).toContain('console=ttyS1,115200n8');
    expect(server.context.events.list({ device: 'web-1' }).map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd']);
    expect(await provider.consoleCommand('web-1')).toEqual({ file: 'tail', args: ['-n', '+1', '-F', vm.consoleLog] });
    const other = new QemuProvider({ config });
    expect(await other.getDevice('web-1')).toMatchObject({ state: 'active', alwaysPxe: true, plan: 'qemu-bios', ssh: `unix:${join(dir, 'state/qemu/web-1/ssh.sock')}` });
    expect(existsSync(join(dir, 'state/qemu/web-1/ssh.sock'))).toBe(true); // the relay in the VM's namespace listens there
    await provider.powerOff('web-1');
    await vm.exited;
    expect(groupAlive(vm.pid)).toBe(false);
    expect(await other.getDevice('web-1')).toMatchObject({ state: 'inactive' });
  }, 300_000);

  it('a VM with a disk boots it first when always_pxe is off; its reboot restarts it from the network once always_pxe is on', async () => {
    await mkdir(join(dir, 'state/qemu/disk-1'), { recursive: true });
    await writeBootDisk(join(dir, 'mbr.raw'), join(dir, 'state/qemu/disk-1/disk.qcow2'));
    await provider.updateDevice('disk-1', { alwaysPxe: false });
    await provider.reboot('disk-1');
    const first = provider.vm('disk-1')!;
    await provider.updateDevice('disk-1', { alwaysPxe: true }); // read when the guest reboots, not at this boot
    await first.waitForConsole(new RegExp(MARKER), 90_000);
    expect(server.context.events.list({ device: 'disk-1' })).toEqual([]); // the disk came first
    expect(await first.rebooted).toBe(true);
    const deadline = Date.now() + 90_000;
    while (!server.context.events.list({ device: 'disk-1' }).some((e) => e.kind === 'script') && Date.now() < deadline) await sleep(250);
    expect(server.context.events.list({ device: 'disk-1' }).map((e) => e.kind)[0]).toBe('script');
    expect(provider.vm('disk-1')).not.toBe(first);
    await provider.powerOff('disk-1');
  }, 200_000);

  it('names the device list when a device is unknown', async () => {
    await expect(provider.getDevice('nope')).rejects.toThrow(/no device "nope" in .*metalboot.yaml/);
  });
});
