import { describe, expect, it } from 'vitest';
import { renderChainScript, renderDeviceScript, renderLocalDiskScript, scriptUrls } from '../../src/ipxe/index.js';
import { RenderError } from '../../src/errors.js';
import { config, manifests, TOKEN } from './fixtures.js';

function render(deviceName: string, baseUrl = config.server.publicUrl): string {
  const device = config.devices[deviceName]!;
  const image = config.images[device.image]!;
  return renderDeviceScript({ device, image, manifest: manifests[image.name]!, baseUrl, token: TOKEN });
}

/** How iPXE's exec.c reads a line: whitespace tokens; `#…` starts a comment; `;` `&&` `||` end a command. */
function ipxeCommands(line: string): string[][] {
  const commands: string[][] = [[]];
  for (const token of line.trim().split(/\s+/)) {
    if (token.startsWith('#')) break;
    if (token === ';' || token === '&&' || token === '||') commands.push([]);
    else commands[commands.length - 1]!.push(token);
  }
  return commands.filter((command) => command.length > 0);
}

describe('device scripts (golden files)', () => {
  it.each([
    ['an x86 device', 'web-1', 'x86-web-1.ipxe'],
    ['an arm64 device', 'arm-1', 'arm64-arm-1.ipxe'],
    ['a device whose image has both arches', 'multi-1', 'both-multi-1.ipxe'],
    ['a device with hostile kernel args', 'hostile-1', 'hostile-hostile-1.ipxe'],
    ['a device booting a RAM image (rootfs): its data as a second initrd', 'ram-1', 'rootfs-ram-1.ipxe'],
  ])('%s', async (_title, device, golden) => {
    await expect(render(device)).toMatchFileSnapshot(`../golden/ipxe/${golden}`);
  });

  it('the MAC/UUID chain script', async () => {
    await expect(renderChainScript(config.server.publicUrl)).toMatchFileSnapshot('../golden/ipxe/chain.ipxe');
  });

  it('the local-disk script an installed device gets in place of its own', async () => {
    await expect(renderLocalDiskScript('web-1')).toMatchFileSnapshot('../golden/ipxe/local-disk-web-1.ipxe');
  });
});

describe('device script behaviour', () => {
  it('starts with #!ipxe and branches on ${platform} and ${buildarch}', () => {
    const script = render('multi-1');
    expect(script.startsWith('#!ipxe\n')).toBe(true);
    expect(script).toContain('iseq ${buildarch} x86_64 && goto metalboot-x86_64 ||');
    expect(script).toContain('iseq ${buildarch} arm64 && goto metalboot-arm64 ||');
    expect(script).toContain('iseq ${platform} efi && goto metalboot-x86_64-efi ||');
  });

  it('under UEFI frees images, names the initrd and passes initrd=<name>; under BIOS uses the plain form', () => {
    const lines = render('web-1').split('\n');
    const efiStart = lines.indexOf(':metalboot-x86_64-efi');
    const bios = lines.slice(0, efiStart);
    const efi = lines.slice(efiStart);
    expect(efi).toContain('imgfree');
    expect(efi.find((l) => l.startsWith('initrd '))).toMatch(/^initrd --name initrd http:\/\/boot\.example\.net:8080\/assets\/b{64}\/initrd\.gz && goto /);
    expect(efi.find((l) => l.startsWith('kernel '))).toMatch(/ console=ttyS1,115200n8 initrd=initrd && goto /);
    expect(bios).not.toContain('imgfree');
    expect(bios.find((l) => l.startsWith('initrd '))).toMatch(/^initrd http:\/\/boot\.example\.net:8080\/assets\/b{64}\/initrd\.gz && goto /);
    expect(bios.find((l) => l.startsWith('kernel '))).not.toContain('initrd=');
  });

  it('stops with a message naming the device when the booted arch has no variant', () => {
    const script = render('arm-1');
    expect(script).not.toContain('iseq ${buildarch} x86_64');
    const fallthrough = script.split('\n').findIndex((l) => l.includes('has no variant for arch ${buildarch}'));
    expect(script.split('\n')[fallthrough]).toContain('device arm-1');
    expect(script.split('\n')[fallthrough + 1]).toBe('exit 1');
  });

  it('uses the arm64 console and an uncompressed initrd for arm64, ttyS1 for x86', () => {
    expect(render('arm-1')).toMatch(/kernel \S+\/Image root=\/dev\/ram0 console=ttyAMA0,115200 initrd=initrd /);
    expect(render('multi-1')).toMatch(/kernel \S+\/Image root=\/dev\/ram0 console=ttyAMA0,115200 earlycon initrd=initrd /);
    expect(render('web-1')).toContain(' console=ttyS1,115200n8');
  });

  it('retries every download a bounded number of times with a pause', () => {
    const script = render('web-1');
    const downloads = script.split('\n').filter((l) => /^(kernel|initrd) /.test(l));
    expect(downloads).toHaveLength(4);
    for (const line of downloads) expect(line).toMatch(/ && goto (metalboot-\S+-ok) \|\|$/);
    expect(script.match(/iseq \$\{metalboot-try\} 5 && set metalboot-what (kernel|initrd) && goto metalboot-failed \|\|/g)).toHaveLength(4);
    expect(script.match(/^sleep 5$/gm)).toHaveLength(4);
  });

  it('builds every URL from the base URL and content-addressed asset paths', () => {
    const urls = scriptUrls(render('web-1', 'https://cdn.example.org/boot/'));
    expect(urls).toEqual([
      `https://cdn.example.org/boot/assets/${'a'.repeat(64)}/linux`,
      `https://cdn.example.org/boot/assets/${'b'.repeat(64)}/initrd.gz`,
    ]);
    expect(render('web-1')).toContain(`url=http://boot.example.net:8080/preseed/web-1.cfg?token=${TOKEN}`);
  });

  it('hostile kernel args reach the kernel unchanged and never change what the script does', () => {
    const script = render('hostile-1');
    for (const line of script.split('\n').filter((l) => l.startsWith('kernel '))) {
      const commands = ipxeCommands(line);
      // exactly: kernel …args… then goto; nothing else runs
      expect(commands.map((c) => c[0])).toEqual(['kernel', 'goto']);
      const args = commands[0]!.slice(2).map((t) => t.replaceAll('${metalboot-lit}', '')).join(' ');
      expect(args).toContain('#comment ; && || reboot opt="a # b" x=$1 console=ttyS1,115200n8');
    }
  });

  it('rejects what iPXE cannot carry, naming the device and the argument', () => {
    const device = { ...config.devices['web-1']!, kernelArgs: ['root=${x}'] };
    const image = config.images['debian12']!;
    expect(() => renderDeviceScript({ device, image, manifest: manifests.debian12!, baseUrl: 'http://b', token: TOKEN })).toThrow(RenderError);
    expect(() => renderDeviceScript({ device, image, manifest: manifests.debian12!, baseUrl: 'http://b', token: TOKEN })).toThrow(
      /device "web-1": kernel argument "root=\$\{x\}" \(from devices\.web-1\.kernel_args\)/,
    );
  });

  it('rejects a base URL that would change the script', () => {
    expect(() => render('web-1', 'http://x/ && chain http://evil')).toThrow(/base URL .* cannot be used in an iPXE script/);
  });

  it('does not add a console when the args already name one', () => {
    const device = { ...config.devices['web-1']!, kernelArgs: ['console=ttyS0,9600'] };
    const image = config.images['debian12']!;
    const script = renderDeviceScript({ device, image, manifest: manifests.debian12!, baseUrl: 'http://b', token: TOKEN });
    expect(script).toContain('console=ttyS0,9600');
    expect(script).not.toContain('ttyS1');
  });

  it('loads a RAM image\'s per-device data as a second initrd after the image\'s own, under BIOS and UEFI', () => {
    const lines = render('ram-1').split('\n');
    const efiStart = lines.indexOf(':metalboot-x86_64-efi');
    const data = `http://boot.example.net:8080/device-data/ram-1.cpio?token=${TOKEN}`;
    const initrds = (part: string[]) => part.filter((l) => l.startsWith('initrd ')).map((l) => l.split(' && ')[0]);
    expect(initrds(lines.slice(0, efiStart))).toEqual([`initrd http://boot.example.net:8080/assets/${'2'.repeat(64)}/initrd.zst`, `initrd ${data}`]);
    expect(initrds(lines.slice(efiStart))).toEqual([`initrd --name initrd http://boot.example.net:8080/assets/${'2'.repeat(64)}/initrd.zst`, `initrd --name device-data ${data}`]);
    const efiKernel = lines.slice(efiStart).find((l) => l.startsWith('kernel '))!;
    expect(efiKernel).toMatch(/ console=ttyS1,115200n8 initrd=initrd initrd=device-data && goto /);
    // the token is in the data's URL only, never on the kernel line
    for (const kernel of lines.filter((l) => l.startsWith('kernel '))) expect(kernel).not.toContain(TOKEN);
    expect(scriptUrls(render('ram-1'))).toContain(data);
  });

  it('loads no device data for installer and plain images', () => {
    for (const device of ['web-1', 'arm-1', 'multi-1']) expect(render(device)).not.toContain('/device-data/');
  });
});
