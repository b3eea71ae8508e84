/** The `images:` section of metalboot.yaml. */
import { isAbsolute, resolve } from 'node:path';
import type { Arch, FilesVariantConfig, ImageConfig, ImageConfigBase, ImageType } from './types.js';
import { ARCHES, IMAGE_TYPES } from './types.js';
import { LOCAL_MIRROR_KEY, readLocalMirror } from './local-mirror.js';
import type { Mapping, Path, Where } from './fields.js';
import { ROOTFS_KEYS, readRootfsFields } from './rootfs.js';
import {
  checkKeys, checkName, fail, isMapping, readArgs, readEnum, readMapping, readOptionalString, readString, show,
} from './fields.js';

const ARCH_ALIASES: Readonly<Record<string, Arch>> = { x86_64: 'x86_64', amd64: 'x86_64', arm64: 'arm64', aarch64: 'arm64' };

const COMMON_KEYS = ['type', 'arch', 'kernel_args', 'console', 'microcode', 'overlay'];
const KEYS: Readonly<Record<ImageType, readonly string[]>> = {
  debian: [...COMMON_KEYS, 'release', 'mirror', 'netboot_dir', 'preseed', 'preseed_mode', LOCAL_MIRROR_KEY],
  alma: [...COMMON_KEYS, 'version', 'mirror', 'kickstart'],
  linuxkit: [...COMMON_KEYS, 'yaml', 'output'],
  files: [...COMMON_KEYS, 'kernel', 'initrd', 'cmdline', 'variants'],
  rootfs: [...COMMON_KEYS, ...ROOTFS_KEYS],
  disk: [...COMMON_KEYS, ...ROOTFS_KEYS],
};

export function readArch(where: Where, path: Path, value: unknown): Arch {
  const arch = typeof value === 'string' ? ARCH_ALIASES[value] : undefined;
  if (!arch) fail(where, path, `expected an architecture (x86_64 or arm64), got ${show(value)}`);
  return arch;
}

function readArches(where: Where, path: Path, value: unknown): Arch[] {
  if (value === undefined || value === null) return ['x86_64'];
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(where, path, 'expected at least one architecture (x86_64, arm64)');
  const arches = list.map((item, index) => readArch(where, Array.isArray(value) ? [...path, index] : path, item));
  return [...new Set(arches)];
}

function readConsole(where: Where, path: Path, value: unknown, arches: readonly Arch[]): Partial<Record<Arch, string>> {
  if (value === undefined || value === null) return {};
  // The console is appended to the kernel line as its space-separated arguments: each is checked as one.
  const read = (at: Path, text: unknown): string => readArgs(where, at, readString(where, at, text)).join(' ');
  if (typeof value === 'string') return Object.fromEntries(arches.map((arch) => [arch, read(path, value)]));
  const map = readMapping(where, path, value);
  checkKeys(where, path, map, ARCHES);
  const out: Partial<Record<Arch, string>> = {};
  for (const arch of ARCHES) {
    if (map[arch] !== undefined && map[arch] !== null) out[arch] = read([...path, arch], map[arch]);
  }
  return out;
}

export function readPath(where: Where, path: Path, value: unknown, dir: string): string {
  const text = readString(where, path, value);
  return isURLish(text) || isAbsolute(text) ? text : resolve(dir, text);
}

function readOptionalPath(where: Where, path: Path, value: unknown, dir: string): string | undefined {
  return value === undefined || value === null ? undefined : readPath(where, path, value, dir);
}

function isURLish(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

export function normalizeImage(where: Where, dir: string, name: string, raw: unknown): ImageConfig {
  const path: Path = ['images', name];
  checkName(where, path, 'image', name);
  const map = readMapping(where, path, raw);
  const type = readEnum(where, [...path, 'type'], map.type, IMAGE_TYPES);
  checkKeys(where, path, map, KEYS[type]);
  const arches = readArches(where, [...path, 'arch'], map.arch);
  const base: ImageConfigBase = {
    name,
    type,
    arches,
    kernelArgs: readArgs(where, [...path, 'kernel_args'], map.kernel_args),
    console: readConsole(where, [...path, 'console'], map.console, arches),
    ...optional('microcode', readOptionalPath(where, [...path, 'microcode'], map.microcode, dir)),
    ...optional('overlay', readOptionalPath(where, [...path, 'overlay'], map.overlay, dir)),
  };
  switch (type) {
    case 'debian': {
      const mirror = readOptionalPath(where, [...path, 'mirror'], map.mirror, dir);
      const netbootDir = readOptionalPath(where, [...path, 'netboot_dir'], map.netboot_dir, dir);
      const preseed = readOptionalPath(where, [...path, 'preseed'], map.preseed, dir);
      return {
        ...base,
        type,
        release: readOptionalString(where, [...path, 'release'], map.release) ?? 'bookworm',
        ...optional('mirror', mirror ?? (netbootDir ? undefined : 'https://deb.debian.org/debian')),
        ...optional('netbootDir', netbootDir),
        ...optional('preseed', preseed),
        preseedMode: map.preseed_mode === undefined ? 'inject' : readEnum(where, [...path, 'preseed_mode'], map.preseed_mode, ['inject', 'url'] as const),
        localMirror: readLocalMirror(where, [...path, LOCAL_MIRROR_KEY], map[LOCAL_MIRROR_KEY]),
      };
    }
    case 'alma':
      return {
        ...base,
        type,
        version: readOptionalString(where, [...path, 'version'], map.version) ?? '9',
        mirror: readOptionalPath(where, [...path, 'mirror'], map.mirror, dir) ?? 'https://repo.almalinux.org/almalinux',
        ...optional('kickstart', readOptionalPath(where, [...path, 'kickstart'], map.kickstart, dir)),
      };
    case 'linuxkit': {
      const yaml = readOptionalPath(where, [...path, 'yaml'], map.yaml, dir);
      const output = readOptionalPath(where, [...path, 'output'], map.output, dir);
      if ((yaml === undefined) === (output === undefined)) {
        fail(where, path, 'a linuxkit image needs exactly one of "yaml" (a LinuxKit file to build) or "output" (an existing build)');
      }
      return { ...base, type, ...optional('yaml', yaml), ...optional('output', output) };
    }
    case 'rootfs':
      return { ...base, type, ...readRootfsFields(where, path, map, dir) };
    case 'disk':
      if (arches.some((arch) => arch !== 'x86_64')) {
        fail(where, [...path, 'arch'], 'a disk image is built for x86_64 only (its GRUB is i386-pc + x86_64-efi): remove "arch" or set it to x86_64');
      }
      return { ...base, type, ...readRootfsFields(where, path, map, dir) };
    case 'files': {
      const variants = readFilesVariants(where, path, map, arches, dir);
      return { ...base, type, arches: ARCHES.filter((arch) => variants[arch] !== undefined), variants };
    }
  }
}

function readFilesVariants(where: Where, path: Path, map: Mapping, arches: readonly Arch[], dir: string): Partial<Record<Arch, FilesVariantConfig>> {
  const readVariant = (vpath: Path, vmap: Mapping): FilesVariantConfig => ({
    kernel: readPath(where, [...vpath, 'kernel'], vmap.kernel, dir),
    initrd: readPath(where, [...vpath, 'initrd'], vmap.initrd, dir),
    cmdline: readArgs(where, [...vpath, 'cmdline'], vmap.cmdline),
  });
  if (map.variants !== undefined) {
    if (map.kernel !== undefined || map.initrd !== undefined) {
      fail(where, [...path, 'kernel'], 'give either "kernel"/"initrd" (one architecture) or "variants" (one entry per architecture), not both');
    }
    const variants = readMapping(where, [...path, 'variants'], map.variants);
    const out: Partial<Record<Arch, FilesVariantConfig>> = {};
    for (const [key, value] of Object.entries(variants)) {
      const arch = readArch(where, [...path, 'variants', key], key);
      if (!isMapping(value)) fail(where, [...path, 'variants', key], `expected a mapping with kernel and initrd, got ${show(value)}`);
      checkKeys(where, [...path, 'variants', key], value, ['kernel', 'initrd', 'cmdline']);
      out[arch] = readVariant([...path, 'variants', key], value);
    }
    for (const arch of arches) {
      if (!out[arch] && map.arch !== undefined) fail(where, [...path, 'variants'], `arch lists ${arch} but variants has no ${arch} entry`);
    }
    return out;
  }
  if (arches.length !== 1) fail(where, [...path, 'arch'], 'a files image with several architectures needs "variants" with kernel and initrd for each');
  return { [arches[0]!]: readVariant(path, map) };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
