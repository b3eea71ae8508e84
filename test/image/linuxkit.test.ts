import { createWriteStream } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { buildImage } from '../../src/image/build.js';
import { linuxkitBuildArgs } from '../../src/image/linuxkit.js';
import { parseLinuxkitCmdline } from '../../src/image/linuxkit-output.js';
import { assetFile } from '../../src/image/store.js';
import { sniffCompression } from '../../src/initrd/compression.js';
import { listCpio } from '../../src/initrd/cpio-reader.js';
import { fakeInitrd, put, sha256, useTmp } from './helpers.js';

const tmp = useTmp();
// The LinuxKit layouts here are fabricated to match what `linuxkit build --format kernel+initrd`
// (<name>-kernel, <name>-initrd.img, <name>-cmdline) and `--format tar-kernel-initrd` (kernel,
// initrd.img, cmdline) write; no linuxkit binary is installed on this machine.
const CMDLINE = 'console=tty0 console=ttyS0 console=ttyAMA0 page_poison=1\n';

async function outputDir(dir: string): Promise<string> {
  const out = join(dir, 'lk-out');
  await put(join(out, 'equinix-metal-kernel'), 'LK-KERNEL');
  await put(join(out, 'equinix-metal-initrd.img'), await fakeInitrd());
  await put(join(out, 'equinix-metal-cmdline'), CMDLINE);
  return out;
}

async function tarball(dir: string): Promise<string> {
  const file = join(dir, 'equinix-metal-initrd.tar');
  const pack = tar.pack();
  pack.entry({ name: 'kernel', mode: 0o600 }, Buffer.from('LK-KERNEL'));
  pack.entry({ name: 'initrd.img', mode: 0o600 }, await fakeInitrd());
  pack.entry({ name: 'cmdline', mode: 0o600 }, CMDLINE);
  pack.finalize();
  await pipeline(pack, createWriteStream(file));
  return file;
}

const config = (dir: string, body: string): ReturnType<typeof parseConfig> => parseConfig(`images:\n  lk:\n    type: linuxkit\n${body}`, join(dir, 'metalboot.yaml'));

describe('linuxkit images', () => {
  it('reads a kernel+initrd output directory; console= is left to the image', async () => {
    const dir = await tmp();
    await outputDir(dir);
    const { manifest } = await buildImage(config(dir, '    output: lk-out\n'), 'lk');
    expect(manifest.installer).toBe(false);
    const variant = manifest.variants.x86_64!;
    expect(variant.kernel).toEqual({ name: 'kernel', sha256: sha256('LK-KERNEL'), size: 9 });
    expect(variant.initrd).toMatchObject({ name: 'initrd.img', sha256: sha256(await fakeInitrd()) });
    expect(variant.cmdline).toEqual(['page_poison=1']);
  });

  it('reads a tar-kernel-initrd tarball and publishes arm64 initrds uncompressed', async () => {
    const dir = await tmp();
    await tarball(dir);
    const { manifest } = await buildImage(config(dir, '    arch: arm64\n    output: equinix-metal-initrd.tar\n'), 'lk');
    const variant = manifest.variants.arm64!;
    expect(variant.compression).toBe('none');
    expect(variant.initrd.name).toBe('initrd.img');
    const bytes = await readFile(assetFile(join(dir, '.metalboot'), variant.initrd.sha256));
    expect(sniffCompression(bytes)).toBe('none');
    expect((await listCpio((async function* () { yield bytes; })())).map((e) => e.name)).toEqual(['init']);
  });

  it('says how to install linuxkit when the binary is missing', async () => {
    const dir = await tmp();
    await put(join(dir, 'em.yml'), 'kernel: {}\n');
    await expect(buildImage(config(dir, '    yaml: em.yml\n'), 'lk', { linuxkitBin: join(dir, 'no-linuxkit') }))
      .rejects.toMatchObject({ message: expect.stringMatching(/linuxkit binary .* is not installed/), hint: expect.stringMatching(/releases/) });
  });

  it('builds from YAML through the linuxkit binary (a stand-in script that writes the same layout)', async () => {
    const dir = await tmp();
    await put(join(dir, 'em.yml'), 'kernel: {}\n');
    const bin = join(dir, 'linuxkit');
    await put(bin, '#!/bin/sh\n# args: build --format kernel+initrd --arch A --name N --dir D FILE\nprintf LK-KERNEL > "$9/$7-kernel"\ncp "$(dirname "${10}")/initrd.img" "$9/$7-initrd.img"\necho "root=x" > "$9/$7-cmdline"\n');
    await chmod(bin, 0o755);
    await put(join(dir, 'initrd.img'), await fakeInitrd());
    const { manifest } = await buildImage(config(dir, '    yaml: em.yml\n'), 'lk', { linuxkitBin: bin });
    expect(manifest.variants.x86_64!.kernel.sha256).toBe(sha256('LK-KERNEL'));
    expect(manifest.variants.x86_64!.cmdline).toEqual(['root=x']);
  });

  it('runs linuxkit build with an argv array and parses cmdline files', () => {
    expect(linuxkitBuildArgs('/x/em.yml', 'em', '/out', 'arm64')).toEqual(['build', '--format', 'kernel+initrd', '--arch', 'arm64', '--name', 'em', '--dir', '/out', '/x/em.yml']);
    expect(parseLinuxkitCmdline(' a  console=ttyS0\nb ')).toEqual(['a', 'b']);
  });
});
