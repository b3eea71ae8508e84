import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RenderError } from '../../src/errors.js';
import { EARLY_MARKER } from '../../src/image/debian-preseed.js';
import { renderPreseed } from '../../src/installer/preseed.js';
import { debianImage, device, input, shipped } from './fixtures.js';

async function checkonly(text: string): Promise<{ exitCode: number | undefined; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-preseed-'));
  try {
    await writeFile(join(dir, 'p.cfg'), text);
    const result = await execa('debconf-set-selections', ['--checkonly', join(dir, 'p.cfg')], { reject: false });
    return { exitCode: result.exitCode, stderr: result.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('renderPreseed', () => {
  it('renders preseed/bonded.cfg for a device (golden)', async () => {
    const text = renderPreseed(input(debianImage, await shipped('preseed/bonded.cfg')));
    await expect(text).toMatchFileSnapshot('../golden/preseed/web-1.cfg');
    expect(text).not.toMatch(/\{\{/);
    expect(text).toContain("'http://boot.example.net:8080/events/web-1?token=0123456789abcdef0123456789abcdef'");
    expect(text).toContain('{"state":"installed"');
    expect(text).toContain('"bond":{"name":"bond0","mode":"802.3ad","lacp_rate":"slow","miimon":100,"xmit_hash_policy":"layer3+4","slaves":["b4:96:91:aa:bb:01","b4:96:91:aa:bb:02"]}');
    expect(text).toContain('in-target systemctl enable systemd-networkd.service metalboot-device.service metalboot-report.service');
    expect(text).toContain("d-i preseed/early_command string echo 'metalboot: preseed for web-1 loaded' > /dev/ttyS1");
    expect(text).not.toMatch(/curl[^\n|]*events\/web-1/); // the token-bearing URL reaches curl on stdin, not in argv
    expect(text).toContain('add-kernel-opts string console=ttyS1,115200n8');
    expect(text).toContain("'ssh-rsa AAAAB3Nza it'\\''s-quoted'");
  });

  it('passes debconf-set-selections --checkonly (shipped template and the injected one)', async () => {
    const rendered = await checkonly(renderPreseed(input(debianImage, await shipped('preseed/bonded.cfg'))));
    expect(rendered.stderr).toBe('');
    expect(rendered.exitCode).toBe(0);
    const injected = await checkonly(await shipped('preseed/inject.cfg'));
    expect(injected.exitCode).toBe(0);
  });

  it('points the installer at the local mirror when the image has local_mirror: true (and it passes --checkonly)', async () => {
    const text = renderPreseed(input({ ...debianImage, localMirror: true } as typeof debianImage, await shipped('preseed/bonded.cfg'), { baseUrl: 'http://10.0.2.2:8080/boot/' }));
    expect(text).toContain('d-i mirror/protocol string http\n');
    expect(text).toContain('d-i mirror/http/hostname string 10.0.2.2:8080\n');
    expect(text).toContain('d-i mirror/http/directory string /boot/mirror/debian12\n');
    expect(text).toContain('d-i mirror/suite string bookworm\n');
    expect(text).toMatch(/^d-i apt-setup\/services-select multiselect $/m);
    const upstream = renderPreseed(input(debianImage, await shipped('preseed/bonded.cfg')));
    expect(upstream).toContain('d-i mirror/https/hostname string deb.debian.org\n');
    expect(upstream).toContain('d-i apt-setup/services-select multiselect security, updates\n');
    expect((await checkonly(text)).exitCode).toBe(0);
  });

  it('debconf-set-selections --checkonly does catch a broken line (the check can fail)', async () => {
    const broken = await checkonly('d-i netcfg/get_hostname\n');
    expect(broken.exitCode).not.toBe(0);
  });

  it('fails loudly on a placeholder without a value, and on a device without MACs', async () => {
    expect(() => renderPreseed(input(debianImage, 'd-i x/y string {{nope}}\n'))).toThrow(RenderError);
    expect(() => renderPreseed(input(debianImage, 'd-i x/y string {{nope}}\n'))).toThrow(/template uses \{\{nope\}\}, which has no value/);
    expect(() => renderPreseed(input(debianImage, '{{hostname}}', { bondMacs: [] }))).toThrow(/has no NIC MACs/);
    expect(() => renderPreseed(input(debianImage, '{{hostname}}', { device: { ...device, hostname: 'a\nb' } }))).toThrow(/single line/);
  });

  it('the injected preseed prints the early marker on ttyS1', async () => {
    const injected = await shipped('preseed/inject.cfg');
    expect(injected).toMatch(new RegExp(`^d-i preseed/early_command string echo ${EARLY_MARKER} > /dev/ttyS1`, 'm'));
    expect(injected).not.toMatch(/\{\{/); // device-independent: nothing to fill in
  });

  it('uses the image mirror and console', async () => {
    const image = { ...debianImage, mirror: 'http://mirror.local:3142/debian/', console: { x86_64: 'console=ttyS0,9600' } };
    const text = renderPreseed(input(image, '{{mirror_host}} {{mirror_directory}} {{mirror_protocol}} {{console}}'));
    expect(text).toBe('mirror.local:3142 /debian http console=ttyS0,9600');
  });
});
