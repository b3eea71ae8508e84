import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { buildImage } from '../../src/image/build.js';
import { parseTreeinfoChecksums } from '../../src/image/checksums.js';
import { fakeInitrd, put, sha256, useStaticServer, useTmp } from './helpers.js';

const tmp = useTmp();
const serve = useStaticServer();
const TREE = '9/BaseOS/x86_64/os';

/** A fabricated AlmaLinux tree: .treeinfo as Alma ships it (trimmed), tiny kernel and initrd. */
async function fakeTree(dir: string, opts: { bad?: boolean } = {}): Promise<string> {
  const mirror = join(dir, 'alma');
  const kernel = Buffer.from('ALMA-KERNEL');
  const initrd = await fakeInitrd();
  await put(join(mirror, TREE, 'images/pxeboot/vmlinuz'), kernel);
  await put(join(mirror, TREE, 'images/pxeboot/initrd.img'), initrd);
  await put(join(mirror, TREE, '.treeinfo'), [
    '[checksums]',
    `images/efiboot.img = sha256:${sha256('efi')}`,
    `images/pxeboot/initrd.img = sha256:${sha256(initrd)}`,
    `images/pxeboot/vmlinuz = sha256:${opts.bad ? sha256('evil') : sha256(kernel)}`,
    '',
    '[general]',
    'arch = x86_64',
    'family = AlmaLinux',
    '',
    '[images-x86_64]',
    'initrd = images/pxeboot/initrd.img',
    'kernel = images/pxeboot/vmlinuz',
    '',
  ].join('\n'));
  return mirror;
}

describe('alma images', () => {
  it('parses only the [checksums] section of .treeinfo', () => {
    const sums = parseTreeinfoChecksums(`[general]\nkernel = sha256:${'a'.repeat(64)}\n[checksums]\nimages/pxeboot/vmlinuz = sha256:${'B'.repeat(64)}\n`);
    expect([...sums]).toEqual([['images/pxeboot/vmlinuz', 'b'.repeat(64)]]);
  });

  it('builds from an http tree verified by .treeinfo, pointing Anaconda at the tree and the kickstart', async () => {
    const dir = await tmp();
    const server = await serve(await fakeTree(dir));
    const config = parseConfig(`images:\n  alma9:\n    type: alma\n    mirror: ${server.url}\n`, join(dir, 'metalboot.yaml'));
    const { manifest } = await buildImage(config, 'alma9');
    expect(manifest.installer).toBe(true);
    const variant = manifest.variants.x86_64!;
    expect(variant.kernel).toMatchObject({ name: 'vmlinuz', sha256: sha256('ALMA-KERNEL') });
    expect(variant.initrd.name).toBe('initrd.img');
    expect(variant.cmdline).toEqual([`inst.repo=${server.url}/${TREE}`, 'inst.ks={{kickstart_url}}', 'ip=dhcp']);
  });

  it('rejects a kernel whose checksum does not match .treeinfo', async () => {
    const dir = await tmp();
    await fakeTree(dir, { bad: true });
    const config = parseConfig(`images:\n  alma9:\n    type: alma\n    mirror: alma\n`, join(dir, 'metalboot.yaml'));
    await expect(buildImage(config, 'alma9')).rejects.toThrow(/checksum mismatch for .*vmlinuz/);
  });
});
