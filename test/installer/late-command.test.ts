/**
 * The rendered late_command, run. d-i cannot finish an install on this machine (docs/mirror.md: the
 * package registry lacks installer udebs), so the preseed's after-install step runs here against a
 * real metalboot server on loopback: the preseed is fetched as the installer fetches it (token from
 * the served script), its late_command is run by sh over a scratch directory standing for /target.
 * What stands in for d-i: `in-target` (records its arguments: there is no installed system to run
 * update-grub or systemctl in) and `chroot /target` (runs the command on this host). wget, curl
 * and jq are the host's. Then the RAM image's applier runs on the files the late_command fetched.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { EventStore } from '../../src/events/store.js';
import { OS_FILES } from '../../src/installer/os-files.js';
import { createApp } from '../../src/server/app.js';
import { BootStore } from '../../src/boots/store.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { PACKAGE_ROOT } from '../../src/paths.js';

const run = promisify(execFile);

let dir: string;
let server: Server;
let events: EventStore;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-late-command-'));
  const stateDir = join(dir, 'state');
  await writeFile(join(dir, 'linux'), 'kernel');
  await writeFile(join(dir, 'initrd.gz'), 'initrd');
  const kernel = await addAssetFromFile(stateDir, join(dir, 'linux'), 'linux');
  const initrd = await addAssetFromFile(stateDir, join(dir, 'initrd.gz'), 'initrd.gz');
  await writeManifest(stateDir, {
    schema: 1, name: 'debian12', type: 'debian', installer: true,
    variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['auto=true', 'priority=critical', 'url={{preseed_url}}'] } },
  });
  events = new EventStore(':memory:');
  server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const config = parseConfig(
    `server:\n  public_url: ${base}\n  state_dir: ${stateDir}\nimages:\n  debian12:\n    type: debian\n    netboot_dir: /usr/lib/debian-installer/images/12\ndevices:\n  web-1:\n    image: debian12\n    hostname: web-one\n    macs: ["b4:96:91:aa:bb:01", "b4:96:91:aa:bb:02"]\n    ssh_keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZha2VrZXlmb3J0ZXN0aW5nb25seQ ops@example"]\n`,
    join(dir, 'metalboot.yaml'),
  );
  const boots = new BootStore(':memory:');
  boots.arm('web-1'); // as `reimage` would: the script and its answers are served during an armed boot
  server.on('request', createApp({ config, secret: 'late-command-secret', events, boots, logger: pino({ level: 'silent' }) }).handler);
});

afterAll(async () => {
  server?.close();
  events?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The value of a preseed question, with its backslash-continued lines joined as debconf does. */
function preseedValue(preseed: string, question: string): string {
  const joined = preseed.replace(/\\\n/g, '');
  const line = joined.split('\n').find((l) => l.startsWith(`d-i ${question} string `));
  if (!line) throw new Error(`no ${question} in the preseed`);
  return line.slice(`d-i ${question} string `.length);
}

describe("the rendered preseed's late_command", () => {
  it('fetches the reporter, writes the device data, posts "installed" from the target; the applier then configures bond0', async () => {
    const script = await (await fetch(`${base}/ipxe/web-1`)).text();
    const preseedUrl = /url=(\S+\/preseed\/web-1\.cfg\?token=[0-9a-f]+)/.exec(script)?.[1];
    expect(preseedUrl).toBeDefined();
    const preseed = await (await fetch(preseedUrl!)).text();
    const target = join(dir, 'target');
    const bin = join(dir, 'bin');
    await mkdir(join(target, 'etc', 'default'), { recursive: true });
    await mkdir(join(target, 'etc', 'network'), { recursive: true });
    await mkdir(bin, { recursive: true });
    await writeFile(join(target, 'etc', 'default', 'grub'), 'GRUB_DEFAULT=0\n');
    await writeFile(join(target, 'etc', 'network', 'interfaces'), 'allow-hotplug ens3\niface ens3 inet dhcp\n');
    await writeFile(join(bin, 'in-target'), `#!/bin/sh\necho "$*" >> ${join(dir, 'in-target.log')}\n`);
    await writeFile(join(bin, 'chroot'), '#!/bin/sh\nshift\nexec "$@"\n');
    await chmod(join(bin, 'in-target'), 0o755);
    await chmod(join(bin, 'chroot'), 0o755);
    const command = preseedValue(preseed, 'preseed/late_command').replaceAll('/target', target).replaceAll('/dev/ttyS1', join(dir, 'ttyS1'));
    await run('sh', ['-c', command], { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });

    // the "installed" phone-home reached the server, authorized by the device's token
    const phoneHomes = events.list({ device: 'web-1' }).filter((e) => e.kind === 'phone-home');
    expect(phoneHomes.map((e) => [e.state, e.message])).toEqual([['installed', 'debian-installer finished on web-one']]);
    expect(await readFile(join(dir, 'ttyS1'), 'utf8')).toBe('metalboot: reported installed\n');
    // the RAM image's files, byte for byte, with their modes
    for (const file of OS_FILES) {
      expect(await readFile(join(target, file.path)), file.path).toEqual(await readFile(join(PACKAGE_ROOT, 'rootfs', file.path)));
      expect(((await stat(join(target, file.path))).mode & 0o777).toString(8), file.path).toBe(file.mode.slice(1));
    }
    expect(await readFile(join(dir, 'in-target.log'), 'utf8')).toBe('update-grub\nsystemctl enable systemd-networkd.service metalboot-device.service metalboot-report.service\n');
    expect(await readFile(join(target, 'etc', 'default', 'grub'), 'utf8')).toContain('GRUB_SERIAL_COMMAND="serial --unit=1 --speed=115200');
    expect(await readFile(join(target, 'etc', 'network', 'interfaces'), 'utf8')).toBe('auto lo\niface lo inet loopback\n');
    const data = join(target, 'etc', 'metalboot', 'device.json');
    expect(((await stat(data)).mode & 0o777).toString(8)).toBe('600');
    const deviceData = JSON.parse(await readFile(data, 'utf8')) as { report: { url: string }; hostname: string };
    expect(deviceData.hostname).toBe('web-one');

    // the first boot's report URL is accepted for this device
    const booted = await fetch(deviceData.report.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"state":"booted","facts":{"hostname":"web-one"}}' });
    expect(booted.status).toBe(201);

    // what the installed system's metalboot-device.service does on each boot, on those files
    const applied = await run(join(target, 'usr/lib/metalboot/apply-device-data'), [], {
      env: { ...process.env, METALBOOT_ROOT: target, METALBOOT_LIB: join(target, 'usr/lib/metalboot'), METALBOOT_DEVICE_DATA: data },
    });
    expect(applied.stdout).toContain('applied device data for web-one');
    const netdev = await readFile(join(target, 'run/systemd/network/10-metalboot-bond0.netdev'), 'utf8');
    expect(netdev).toContain('Mode=802.3ad\nLACPTransmitRate=slow\nMIIMonitorSec=100ms\nTransmitHashPolicy=layer3+4');
    expect(await readFile(join(target, 'run/systemd/network/10-metalboot-bond0-slave1.network'), 'utf8')).toContain('PermanentMACAddress=b4:96:91:aa:bb:02');
  });
});
