/** Initrds for the hostile build tests: a real newc archive, compressed with the real tools, and ways to break it. */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { cpioChunks } from '../../src/initrd/cpio.js';
import { collect } from '../initrd/helpers.js';

export type Packing = 'gzip' | 'xz' | 'zstd' | 'lz4' | 'none';
export const PACKINGS: readonly Packing[] = ['gzip', 'xz', 'zstd', 'lz4', 'none'];

/** An archive with an init and 300 KiB of incompressible data, so a cut lands inside it. */
export async function plainCpio(): Promise<Buffer> {
  return collect(cpioChunks([
    { type: 'file', name: 'init', mode: 0o755, data: Buffer.from('#!/bin/sh\n') },
    { type: 'file', name: 'blob', data: randomBytes(300 * 1024) },
  ]));
}

export async function pack(cpio: Buffer, packing: Packing): Promise<Buffer> {
  switch (packing) {
    case 'none': return cpio;
    case 'gzip': return gzipSync(cpio);
    case 'lz4': return Buffer.from((await execa('lz4', ['-l', '-c'], { input: cpio, encoding: 'buffer' })).stdout); // legacy, as the kernel's
    default: return Buffer.from((await execa(packing, ['-c'], { input: cpio, encoding: 'buffer' })).stdout);
  }
}

export function filesConfig(dir: string, arch: 'x86_64' | 'arm64'): Config {
  return parseConfig(`images:\n  broken:\n    type: files\n    arch: ${arch}\n    kernel: in/vmlinuz\n    initrd: in/initrd.img\n`, join(dir, 'metalboot.yaml'));
}

/** Files under a store directory that a failed build must not leave: assets, manifests, temp files. */
export async function leftovers(stateDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of ['assets', 'images', 'tmp']) {
    const names = await readdir(join(stateDir, sub)).catch(() => [] as string[]);
    out.push(...names.map((name) => `${sub}/${name}`));
  }
  return out;
}
