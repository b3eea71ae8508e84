import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { buildImage } from '../../src/image/build.js';
import { assetFile, readManifest } from '../../src/image/store.js';
import { listCpio, readCpioArchives } from '../../src/initrd/cpio-reader.js';
import { INTEL_PATH } from '../../src/initrd/microcode.js';
import { fakeInitrd, put, sha256, useStaticServer, useTmp } from './helpers.js';

const tmp = useTmp();
const serve = useStaticServer();

async function* one(buffer: Buffer): AsyncGenerator<Buffer> {
  yield buffer;
}

describe('files images', () => {
  it('stores a local kernel and initrd by content and writes the manifest', async () => {
    const dir = await tmp();
    const initrd = await fakeInitrd();
    await put(join(dir, 'in', 'vmlinuz'), 'KERNEL');
    await put(join(dir, 'in', 'initrd.gz'), initrd);
    const config = parseConfig(`images:\n  plain:\n    type: files\n    kernel: in/vmlinuz\n    initrd: in/initrd.gz\n    cmdline: [quiet, "ds=nocloud;s={{base_url}}/seed/"]\n`, join(dir, 'metalboot.yaml'));
    const { manifest, manifestPath } = await buildImage(config, 'plain');
    expect(manifestPath).toBe(join(dir, '.metalboot', 'images', 'plain.json'));
    expect(manifest).toEqual({
      schema: 1, name: 'plain', type: 'files', installer: false,
      variants: {
        x86_64: {
          arch: 'x86_64',
          kernel: { name: 'vmlinuz', sha256: sha256('KERNEL'), size: 6 },
          initrd: { name: 'initrd.gz', sha256: sha256(initrd), size: initrd.length },
          compression: 'gzip',
          cmdline: ['quiet', 'ds=nocloud;s={{base_url}}/seed/'],
        },
      },
    });
    expect(await readManifest(join(dir, '.metalboot'), 'plain')).toEqual(manifest);
    expect(await readFile(assetFile(join(dir, '.metalboot'), sha256('KERNEL')), 'utf8')).toBe('KERNEL');
  });

  it('downloads http URLs into the cache and applies microcode and overlay on x86_64', async () => {
    const dir = await tmp();
    const web = join(dir, 'web');
    await put(join(web, 'k'), 'KERNEL');
    await put(join(web, 'i.gz'), await fakeInitrd());
    await put(join(dir, 'ucode', 'intel-ucode', '06-55-04'), 'UCODE');
    await put(join(dir, 'extra', 'etc', 'motd'), 'hello\n');
    const server = await serve(web);
    const config = parseConfig(
      `images:\n  web:\n    type: files\n    kernel: ${server.url}/k\n    initrd: ${server.url}/i.gz\n    microcode: ucode\n    overlay: extra\n`,
      join(dir, 'metalboot.yaml'),
    );
    const out = join(dir, 'out');
    const { manifest } = await buildImage(config, 'web', { stateDir: out });
    const variant = manifest.variants.x86_64!;
    expect(variant.kernel.name).toBe('k');
    expect(variant.compression).toBe('gzip');
    expect(await readdir(join(out, 'cache'))).toContain(sha256('KERNEL'));
    const bytes = await readFile(assetFile(out, variant.initrd.sha256));
    expect(sha256(bytes)).toBe(variant.initrd.sha256);
    const early = await listCpio(one(bytes));
    expect(early.find((e) => e.name === INTEL_PATH)?.data.toString()).toBe('UCODE');
    const earlySize = bytes.indexOf(Buffer.from([0x1f, 0x8b]));
    const names: string[] = [];
    for await (const entry of readCpioArchives(one(gunzipSync(bytes.subarray(earlySize))))) names.push(entry.name);
    expect(names).toEqual(['init', 'etc', 'etc/motd']);
  });

  it('builds the same bytes twice (reproducible) and names an unknown image', async () => {
    const dir = await tmp();
    await put(join(dir, 'k'), 'K');
    await put(join(dir, 'i'), await fakeInitrd());
    await put(join(dir, 'o', 'preseed.cfg'), 'x');
    const config = parseConfig(`images:\n  a:\n    type: files\n    kernel: k\n    initrd: i\n    overlay: o\n`, join(dir, 'metalboot.yaml'));
    const first = await buildImage(config, 'a', { stateDir: join(dir, 's1') });
    const second = await buildImage(config, 'a', { stateDir: join(dir, 's2') });
    expect(second.manifest).toEqual(first.manifest);
    await expect(buildImage(config, 'nope')).rejects.toThrow(/no image named "nope"/);
  });
});
