/**
 * Finding 5: `build` published corrupt initrds with exit 0 (a gzip cut short, 3 bytes of gzip magic,
 * magic + random bytes, a fake cpio header). Every compression and arch: the build fails with
 * E_INITRD_CORRUPT naming image, file and offset, and leaves nothing in the store.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImage } from '../../src/image/build.js';
import { put, useTmp } from '../image/helpers.js';
import { filesConfig, leftovers, pack, PACKINGS, plainCpio } from './initrd-helpers.js';

const tmp = useTmp();

async function buildWith(initrd: Buffer, arch: 'x86_64' | 'arm64'): Promise<{ error: unknown; stateDir: string; file: string }> {
  const dir = await tmp();
  await put(join(dir, 'in', 'vmlinuz'), 'KERNEL');
  const file = join(dir, 'in', 'initrd.img');
  await put(file, initrd);
  const error = await buildImage(filesConfig(dir, arch), 'broken').then(() => undefined, (e: unknown) => e);
  return { error, stateDir: join(dir, '.metalboot'), file };
}

const HOSTILE: ReadonlyArray<readonly [string, () => Buffer]> = [
  ['3 bytes of gzip magic', () => Buffer.from([0x1f, 0x8b, 0x08])],
  ['gzip magic and random bytes', () => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), randomBytes(4096)])],
  ['a fake 110-byte cpio header', () => Buffer.from(`070701${'0'.repeat(104)}`)],
  ['random bytes', () => randomBytes(4096)],
  ['only zeros', () => Buffer.alloc(4096)],
];

describe('corrupt initrds are never published (finding 5)', () => {
  for (const arch of ['x86_64', 'arm64'] as const) {
    for (const packing of PACKINGS) {
      it(`${arch}, ${packing}: a whole initrd is published, one cut in half is refused naming image, file and offset`, async () => {
        const good = await pack(await plainCpio(), packing);
        const built = await buildWith(good, arch);
        expect(built.error).toBeUndefined();
        const cut = await buildWith(good.subarray(0, Math.floor(good.length / 2)), arch);
        expect(cut.error).toMatchObject({ code: 'E_INITRD_CORRUPT' });
        const message = (cut.error as Error).message;
        expect(message).toContain(`image "broken" (${arch})`);
        expect(message).toContain(cut.file);
        expect(message).toMatch(/byte \d+/);
        expect(await leftovers(cut.stateDir)).toEqual([]);
      });
    }
    it.each(HOSTILE)(`${arch}: %s is refused and nothing is stored`, async (_label, make) => {
      const { error, stateDir, file } = await buildWith(make(), arch);
      expect(error).toMatchObject({ code: 'E_INITRD_CORRUPT' });
      expect((error as Error).message).toContain(file);
      expect(await leftovers(stateDir)).toEqual([]);
    });
  }
});
