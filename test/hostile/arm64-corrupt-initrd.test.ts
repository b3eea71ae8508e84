/**
 * Finding 17: on arm64 (where the initrd is decompressed into the store) a corrupt initrd read
 * "writing trunc failed: unexpected end of file". Now: the image, the file and a hint, and no blob
 * (neither the kernel nor a partial initrd) left in the store.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { buildImage } from '../../src/image/build.js';
import { captureIo } from '../cli/capture.js';
import { put, useTmp } from '../image/helpers.js';
import { filesConfig, leftovers, pack, plainCpio } from './initrd-helpers.js';

const tmp = useTmp();

describe('arm64 corrupt initrd (finding 17)', () => {
  it('names image and file, gives a hint, and leaves no blob behind', async () => {
    const dir = await tmp();
    const gz = await pack(await plainCpio(), 'gzip');
    await put(join(dir, 'in', 'vmlinuz'), 'KERNEL');
    const file = join(dir, 'in', 'initrd.img');
    await put(file, gz.subarray(0, gz.length - 2000));
    const error = await buildImage(filesConfig(dir, 'arm64'), 'broken').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_INITRD_CORRUPT' });
    const { message, hint } = error as { message: string; hint?: string };
    expect(message).toMatch(new RegExp(`^image "broken" \\(arm64\\): initrd ${file} is corrupt: gzip data starting at byte 0: .*unexpected end of file`));
    expect(hint).toMatch(/download or build it again/);
    expect(await leftovers(join(dir, '.metalboot'))).toEqual([]);
  });

  it('the CLI prints the sentence and the hint, no stack trace', async () => {
    const dir = await tmp();
    const gz = await pack(await plainCpio(), 'gzip');
    await put(join(dir, 'in', 'vmlinuz'), 'KERNEL');
    await put(join(dir, 'in', 'initrd.img'), gz.subarray(0, 1000));
    await put(join(dir, 'metalboot.yaml'), 'images:\n  broken:\n    type: files\n    arch: arm64\n    kernel: in/vmlinuz\n    initrd: in/initrd.img\n');
    const cli = captureIo();
    const code = await runCli(['build', 'broken', '--config', join(dir, 'metalboot.yaml')], cli.io);
    const stderr = cli.err();
    expect(code).not.toBe(0);
    expect(stderr).toContain('image "broken" (arm64): initrd');
    expect(stderr).toContain('download or build it again');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await leftovers(join(dir, '.metalboot'))).toEqual([]);
  });
});
