/**
 * Reads a LinuxKit build output: a directory from `--format kernel+initrd` (<name>-kernel,
 * <name>-initrd.img, <name>-cmdline) or a `tar-kernel-initrd` tarball (kernel, initrd.img,
 * cmdline), which is streamed out with tar-stream into the cache.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { BuildError } from '../errors.js';
import { sniffCompression } from '../initrd/compression.js';
import { isFile } from '../util/fs.js';
import { linuxkitTarballDir, sha256File, tmpPath } from './store.js';

export interface LinuxkitOutput {
  readonly kernel: string;
  readonly initrd: string;
  /** Kernel arguments from the cmdline file, console= removed (the image's console applies). */
  readonly cmdline: readonly string[];
}

export function parseLinuxkitCmdline(text: string): string[] {
  return text.split(/\s+/).filter((arg) => arg !== '' && !arg.startsWith('console='));
}

async function readCmdline(path: string): Promise<string[]> {
  try {
    return parseLinuxkitCmdline(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function readOutputDir(dir: string): Promise<LinuxkitOutput> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new BuildError(`LinuxKit output ${dir} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const kernels = names.filter((name) => name.endsWith('-kernel'));
  const prefix = kernels.map((name) => name.slice(0, -'-kernel'.length)).find((p) => names.includes(`${p}-initrd.img`));
  if (prefix === undefined) {
    throw new BuildError(`LinuxKit output ${dir} has no <name>-kernel with a matching <name>-initrd.img`, { hint: 'build it with: linuxkit build --format kernel+initrd --dir <dir> <file>.yml' });
  }
  return { kernel: join(dir, `${prefix}-kernel`), initrd: join(dir, `${prefix}-initrd.img`), cmdline: await readCmdline(join(dir, `${prefix}-cmdline`)) };
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Extracts kernel/initrd.img/cmdline of a tar-kernel-initrd tarball into the store's cache/linuxkit/<sha256>/. */
export async function readOutputTarball(stateDir: string, tarball: string): Promise<LinuxkitOutput> {
  const { sha256 } = await sha256File(tarball);
  const dir = linuxkitTarballDir(stateDir, sha256);
  const done = await isFile(join(dir, 'initrd.img'));
  if (!done) {
    const tmp = await tmpPath(stateDir, 'linuxkit-tar');
    await mkdir(tmp, { recursive: true });
    try {
      const extract = tar.extract();
      extract.on('entry', (header, stream, next) => {
        const name = header.name.replace(/^(\.\/)+/, '');
        if (header.type === 'file' && ['kernel', 'initrd.img', 'cmdline', 'ucode.cpio'].includes(name)) {
          pipeline(stream, createWriteStream(join(tmp, name))).then(() => next(), next);
        } else {
          stream.on('end', () => next());
          stream.resume();
        }
      });
      const compressed = sniffCompression(await readHead(tarball)) === 'gzip';
      const source = createReadStream(tarball);
      await (compressed ? pipeline(source, createGunzip(), extract) : pipeline(source, extract));
      for (const needed of ['kernel', 'initrd.img']) {
        if (!(await isFile(join(tmp, needed)))) {
          throw new BuildError(`LinuxKit tarball ${tarball} has no ${needed}`, { hint: 'expected the tar-kernel-initrd format: kernel, initrd.img, cmdline' });
        }
      }
      await mkdir(dirname(dir), { recursive: true });
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      if (error instanceof BuildError) throw error;
      throw new BuildError(`LinuxKit tarball ${tarball} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }
  return { kernel: join(dir, 'kernel'), initrd: join(dir, 'initrd.img'), cmdline: await readCmdline(join(dir, 'cmdline')) };
}
