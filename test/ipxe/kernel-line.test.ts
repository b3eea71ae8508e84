/**
 * THE kernel line (src/ipxe/kernel-line.ts) and its three users: the iPXE script, boot-test's
 * expectations and the installer answers must agree on the arguments and the console.
 */
import { describe, expect, it } from 'vitest';
import { bootExpectations, bootTarget } from '../../src/boot-test/target.js';
import { judgeConsole } from '../../src/boot-test/judge.js';
import { parseConfig } from '../../src/config/load.js';
import { RenderError } from '../../src/errors.js';
import type { ImageManifest } from '../../src/image/manifest.js';
import { renderKickstart } from '../../src/installer/kickstart.js';
import { renderPreseed } from '../../src/installer/preseed.js';
import { buildDeviceData } from '../../src/devicedata/index.js';
import { renderDeviceScript } from '../../src/ipxe/device-script.js';
import { kernelLine, serialConsole } from '../../src/ipxe/kernel-line.js';
import { shipped } from '../installer/fixtures.js';

const config = parseConfig(
  `server:
  public_url: http://boot.example.net:8080
images:
  deb: { type: debian, netboot_dir: /srv/netboot }
  alma: { type: alma }
  lk: { type: files, kernel: /srv/k, initrd: /srv/i, console: "console=tty0 console=ttyS1,57600" }
devices:
  web-1:
    image: deb
    macs: ["b4:96:91:aa:bb:01"]
    kernel_args: ["console=ttyS0,115200"]
  db-1:
    image: alma
    macs: ["b4:96:91:aa:bb:02"]
    kernel_args: ["console=ttyS0,115200"]
  plain-1:
    image: deb
    macs: ["b4:96:91:aa:bb:03"]
  lk-1:
    image: lk
`,
  '/srv/metalboot.yaml',
);
const asset = { name: 'linux', sha256: 'a'.repeat(64), size: 1 };
function manifestOf(name: string, cmdline: string[]): ImageManifest {
  const image = config.images[name]!;
  return {
    schema: 1, name, type: image.type, installer: image.type !== 'files',
    variants: { x86_64: { arch: 'x86_64', kernel: asset, initrd: { ...asset, name: 'initrd.gz' }, compression: 'gzip', cmdline } },
  };
}
const manifests: Record<string, ImageManifest> = {
  deb: manifestOf('deb', ['auto=true', 'priority=critical', 'url={{preseed_url}}']),
  alma: manifestOf('alma', ['inst.ks={{kickstart_url}}', 'ip=dhcp']),
  lk: manifestOf('lk', ['root=/dev/ram0']),
};
const TOKEN = '0123456789abcdef0123456789abcdef';
const SECRET = 'kernel-line-secret';

function line(device: string) {
  const d = config.devices[device]!;
  return kernelLine({ device: d, image: config.images[d.image]!, variant: manifests[d.image]!.variants.x86_64!, baseUrl: config.server.publicUrl, token: TOKEN });
}
function script(device: string): string {
  const d = config.devices[device]!;
  return renderDeviceScript({ device: d, image: config.images[d.image]!, manifest: manifests[d.image]!, baseUrl: config.server.publicUrl, token: TOKEN });
}
async function answers(device: string): Promise<string> {
  const d = config.devices[device]!;
  const image = config.images[d.image]!;
  const input = { device: d, image, manifest: manifests[d.image]!, baseUrl: config.server.publicUrl, token: TOKEN, bondMacs: d.macs, deviceJson: JSON.stringify(buildDeviceData({ device: d, token: TOKEN, baseUrl: config.server.publicUrl })) };
  return image.type === 'alma'
    ? renderKickstart({ ...input, template: await shipped('kickstart/alma9.ks') })
    : renderPreseed({ ...input, template: await shipped('preseed/bonded.cfg') });
}

describe('a device with kernel_args [console=ttyS0,115200]: script, boot-test and installer answers agree', () => {
  it('the kernel line keeps the device console and adds none of its own', () => {
    expect(line('web-1').args.map(({ arg }) => arg)).toEqual([
      'auto=true', 'priority=critical', `url=http://boot.example.net:8080/preseed/web-1.cfg?token=${TOKEN}`, 'console=ttyS0,115200',
    ]);
    expect(line('web-1').console).toEqual(['console=ttyS0,115200']);
  });

  it('the iPXE script passes console=ttyS0,115200 and no ttyS1', () => {
    const kernels = script('web-1').split('\n').filter((l) => l.startsWith('kernel '));
    expect(kernels).toHaveLength(2);
    for (const kernel of kernels) {
      expect(kernel).toContain(`url=http://boot.example.net:8080/preseed/web-1.cfg?token=${TOKEN} console=ttyS0,115200`);
      expect(kernel).not.toContain('ttyS1');
    }
  });

  it("boot-test expects exactly that line on ttyS0, and passes a console showing it", () => {
    const target = bootTarget(config, 'web-1', 8080);
    const expected = bootExpectations(target, manifests.deb!, SECRET, 'x86_64');
    expect(expected.kernelArgs.at(-1)).toBe('console=ttyS0,115200');
    expect(expected.kernelArgs.join(' ')).not.toContain('ttyS1');
    expect(expected.console).toBe('ttyS0');
    const console = `[    0.000000] Kernel command line: ${expected.kernelArgs.join(' ')}\n[   18.9] Run /init as init process\n`;
    expect(judgeConsole({ console, firmware: '', fetches: { kernel: 1, initrd: 1 } }, { kernelArgs: expected.kernelArgs, timeoutMs: 1000 }))
      .toEqual({ outcome: 'success', kernelUp: true, ipxe: false });
  });

  it('the preseed installs the system with that console and GRUB on ttyS0 at 115200', async () => {
    const text = await answers('web-1');
    expect(text).toContain('d-i debian-installer/add-kernel-opts string console=ttyS0,115200\n');
    expect(text).toContain(`printf '%s\\n' 'GRUB_TERMINAL="serial console"' 'GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1"' >> /target/etc/default/grub;`);
    expect(text).not.toContain('ttyS1');
  });

  it('the kickstart does the same', async () => {
    const text = await answers('db-1');
    expect(text).toContain('bootloader --location=mbr --append="console=ttyS0,115200"');
    expect(text).toContain('GRUB_TERMINAL="serial console"\nGRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1"\nGRUB\n');
    expect(text).not.toContain('ttyS1');
  });
});

describe('kernel line rules', () => {
  it('appends the image console when no argument names one; the default console is ttyS1 at 115200n8', () => {
    expect(line('plain-1').console).toEqual(['console=ttyS1,115200n8']);
    expect(line('plain-1').args.at(-1)).toEqual({ arg: 'console=ttyS1,115200n8', source: 'images.deb.console' });
    expect(line('lk-1').console).toEqual(['console=tty0', 'console=ttyS1,57600']);
  });

  it('takes the serial port of the last serial console, with the kernel defaults for what is left out', () => {
    expect(serialConsole(['console=tty0', 'console=ttyS1,57600'])).toEqual({ unit: 1, speed: 57600, parity: 'no', word: 8 });
    expect(serialConsole(['console=ttyS0', 'console=tty0'])).toEqual({ unit: 0, speed: 9600, parity: 'no', word: 8 });
    expect(serialConsole(['console=ttyS2,19200e7'])).toEqual({ unit: 2, speed: 19200, parity: 'even', word: 7 });
    expect(serialConsole(['console=ttyAMA0,115200'])).toBeUndefined();
  });

  it('GRUB gets the plain console when the kernel has no serial console', async () => {
    const image = { ...config.images.deb!, console: { x86_64: 'console=tty0' } };
    const d = config.devices['plain-1']!;
    const text = renderPreseed({ device: d, image, manifest: manifests.deb!, baseUrl: 'http://b', token: TOKEN, bondMacs: d.macs, deviceJson: JSON.stringify(buildDeviceData({ device: d, token: TOKEN, baseUrl: 'http://b' })), template: await shipped('preseed/bonded.cfg') });
    expect(text).toContain(`printf '%s\\n' 'GRUB_TERMINAL="console"' >> /target/etc/default/grub;`);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('never fills {{%s}} in a manifest argument from Object.prototype', (name) => {
    const d = config.devices['lk-1']!;
    const manifest = manifestOf('lk', [`a={{${name}}}`]);
    const render = () => renderDeviceScript({ device: d, image: config.images.lk!, manifest, baseUrl: 'http://b', token: TOKEN });
    expect(render).toThrow(RenderError);
    expect(render).toThrow(`the manifest of image "lk", kernel argument "a={{${name}}}": template uses {{${name}}}, which has no value`);
  });
});

describe('without a boot token (an unarmed RAM image, render, push)', () => {
  it('leaves out the manifest arguments that carry it, keeps the rest, and renders no token anywhere', () => {
    const d = config.devices['plain-1']!;
    const args = kernelLine({ device: d, image: config.images[d.image]!, variant: manifests[d.image]!.variants.x86_64!, baseUrl: config.server.publicUrl, token: undefined }).args.map(({ arg }) => arg);
    expect(args).toContain('auto=true');
    expect(args.some((arg) => arg.startsWith('url='))).toBe(false);
    const text = renderDeviceScript({ device: d, image: config.images[d.image]!, manifest: manifests[d.image]!, baseUrl: config.server.publicUrl, token: undefined });
    expect(text).not.toContain('token');
    expect(text).not.toContain('/preseed/');
  });
});
