import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetalbootError, NotBuiltError } from '../../src/errors.js';
import {
  addAssetFromFile, assetFile, copyFileInto, HashingWriter, readManifest, sha256File, streamToTmp, tmpDir, writeManifest,
} from '../../src/image/store.js';
import { put, sha256, useTmp } from './helpers.js';

const tmp = useTmp();

describe('hash-while-write', () => {
  it('hashes exactly the bytes it writes, chunk by chunk', async () => {
    const dir = await tmp();
    const chunks = [Buffer.from('abc'), Buffer.alloc(0), randomBytes(70_000), Buffer.from('z')];
    const writer = await HashingWriter.create(join(dir, 'out'));
    for (const chunk of chunks) await writer.write(chunk);
    const written = await writer.close();
    const bytes = await readFile(join(dir, 'out'));
    expect(bytes.equals(Buffer.concat(chunks))).toBe(true);
    expect(written).toEqual({ sha256: sha256(bytes), size: bytes.length });
  });

  it('copies a file of several blocks through its two buffers without mixing them up', async () => {
    const dir = await tmp();
    const source = randomBytes(3 * (1 << 20) + 12_345);
    await put(join(dir, 'in'), source);
    const writer = await HashingWriter.create(join(dir, 'out'));
    expect(await copyFileInto(join(dir, 'in'), writer)).toBe(source.length);
    expect(await writer.close()).toEqual({ sha256: sha256(source), size: source.length });
    expect((await readFile(join(dir, 'out'))).equals(source)).toBe(true);
    expect(await sha256File(join(dir, 'out'))).toEqual({ sha256: sha256(source), size: source.length });
  });

  it('leaves no temp file behind when the source fails midway', async () => {
    const dir = await tmp();
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('partial');
      throw new Error('connection reset');
    }
    await expect(streamToTmp(dir, 'download', failing())).rejects.toThrow('connection reset');
    expect(await readdir(tmpDir(dir))).toEqual([]);
  });
});

describe('the store', () => {
  it('stores a blob once by content, whatever it is called', async () => {
    const dir = await tmp();
    await put(join(dir, 'a'), 'same bytes');
    await put(join(dir, 'b'), 'same bytes');
    const first = await addAssetFromFile(join(dir, 'state'), join(dir, 'a'), 'linux');
    const second = await addAssetFromFile(join(dir, 'state'), join(dir, 'b'), 'vmlinuz');
    expect(first).toEqual({ name: 'linux', sha256: sha256('same bytes'), size: 10 });
    expect(second.sha256).toBe(first.sha256);
    expect(await readdir(join(dir, 'state', 'assets'))).toEqual([first.sha256]);
    expect(await readFile(assetFile(join(dir, 'state'), first.sha256), 'utf8')).toBe('same bytes');
    expect(await readdir(tmpDir(join(dir, 'state')))).toEqual([]);
  });

  it('refuses an asset name that is a path', async () => {
    const dir = await tmp();
    await put(join(dir, 'a'), 'x');
    await expect(addAssetFromFile(dir, join(dir, 'a'), '../a')).rejects.toThrow('asset name "../a" must be a plain file name');
  });

  it('reads back the manifest it wrote, and says "not built" (NotBuiltError) for an image without one', async () => {
    const dir = await tmp();
    const kernel = { name: 'linux', sha256: 'a'.repeat(64), size: 1 };
    const manifest = { schema: 1, name: 'deb', type: 'files', installer: false, variants: { x86_64: { arch: 'x86_64', kernel, initrd: kernel, compression: 'none', cmdline: [] } } } as const;
    const file = await writeManifest(dir, manifest);
    expect(file).toBe(join(dir, 'images', 'deb.json'));
    expect(await readManifest(dir, 'deb')).toEqual(manifest);
    const missing = await readManifest(dir, 'alma').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotBuiltError);
    expect(missing).toBeInstanceOf(MetalbootError);
    expect(missing).toMatchObject({ code: 'E_NOT_BUILT', image: 'alma', message: `image "alma" has not been built (no ${join(dir, 'images', 'alma.json')})`, hint: 'run: metalboot build alma' });
  });
});
