/** packRootfs's zstd initrd ends on a 4-byte boundary, so a second initrd after it (device data) starts aligned under UEFI. */
import { appendFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyInitrd } from '../../src/initrd/verify.js';
import { packRootfs } from '../../src/image/rootfs/pack.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('packRootfs', () => {
  it('pads the zstd archive with zeros to a multiple of 4 bytes, and the archive still reads whole', async () => {
    const sizes: number[] = [];
    for (const length of [1, 2, 3, 5, 7, 11]) {
      const dir = await mkdtemp(join(tmpdir(), 'metalboot-pack-'));
      dirs.push(dir);
      const root = join(dir, 'root');
      await mkdir(join(root, 'boot'), { recursive: true });
      await mkdir(join(root, 'etc'), { recursive: true });
      await writeFile(join(root, 'boot/vmlinuz-1.0'), 'kernel');
      await writeFile(join(root, 'etc/data'), 'x'.repeat(length) + 'metalboot'.repeat(length));
      const initrd = join(dir, 'rootfs.cpio.zst');
      await packRootfs({ root, kernelVersion: '1.0', kernelOut: join(dir, 'vmlinuz'), initrdOut: initrd, compression: 'zstd' });
      sizes.push((await stat(initrd)).size);
      await verifyInitrd(initrd);
    }
    expect(sizes.map((size) => size % 4)).toEqual(sizes.map(() => 0));
    // what follows the zstd frames must be zero padding: anything else is refused, naming the byte
    const initrd = join(dirs.at(-1)!, 'rootfs.cpio.zst');
    const end = (await stat(initrd)).size;
    await appendFile(initrd, Buffer.from([0, 0, 0, 0, 0x41]));
    await expect(verifyInitrd(initrd)).rejects.toThrow(`byte ${end + 4}, after the zstd data starting at byte 0, is neither zero padding nor a zstd frame`);
  });
});
