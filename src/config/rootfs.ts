/** The fields of a `type: rootfs` image (a RAM OS built from Debian packages with mmdebstrap). */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RootfsImageConfig } from './types.js';
import type { Mapping, Path, Where } from './fields.js';
import { fail, readOptionalString, readString, readStringList, show } from './fields.js';

export const ROOTFS_KEYS = ['suite', 'mirror', 'components', 'packages', 'modules'] as const;

export const DEFAULT_ROOTFS_MIRROR = 'http://deb.debian.org/debian';

/** A package as apt takes it: a plain name, `name=version` or `name/suite`; no patterns or paths. */
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+|\/[a-z0-9-]+)?$/;
/** A module name (`nicvf`) or a path under kernel/ (`drivers/net/ethernet/intel`). */
const MODULE = /^[A-Za-z0-9_-]+$|^(?!.*\.\.)[a-z0-9_][a-z0-9_./-]*$/;
const SUITE = /^[a-z][a-z0-9-]*$/;

type RootfsFields = Pick<RootfsImageConfig, 'suite' | 'mirror' | 'components' | 'packages' | 'modules'>;

export function readRootfsFields(where: Where, path: Path, map: Mapping, dir: string): RootfsFields {
  const suite = readOptionalString(where, [...path, 'suite'], map.suite) ?? 'bookworm';
  if (!SUITE.test(suite)) fail(where, [...path, 'suite'], `expected a Debian suite or codename like bookworm, got ${show(suite)}`);
  return {
    suite,
    mirror: readMirror(where, [...path, 'mirror'], map.mirror, dir),
    components: readMatching(where, [...path, 'components'], map.components, SUITE, 'a component like main or non-free-firmware', ['main']),
    packages: readMatching(where, [...path, 'packages'], map.packages, PACKAGE, 'a Debian package name (name, name=version or name/suite)', []),
    modules: readMatching(where, [...path, 'modules'], map.modules, MODULE, 'a module name (nicvf) or a path under kernel/ (drivers/net/ethernet/intel)', []),
  };
}

function readMirror(where: Where, path: Path, value: unknown, dir: string): string {
  if (value === undefined || value === null) return DEFAULT_ROOTFS_MIRROR;
  const text = readString(where, path, value).replace(/\/+$/, '');
  if (/^(https?|file):\/\/./.test(text)) return text;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) fail(where, path, `${show(text)} must be an http://, https:// or file:// mirror URL, or a local directory`);
  return pathToFileURL(isAbsolute(text) ? text : resolve(dir, text)).href;
}

function readMatching(where: Where, path: Path, value: unknown, pattern: RegExp, what: string, fallback: string[]): string[] {
  if (value === undefined || value === null) return fallback;
  const list = readStringList(where, path, value);
  list.forEach((item, index) => {
    if (!pattern.test(item)) fail(where, [...path, index], `expected ${what}, got ${show(item)}`);
  });
  return [...new Set(list)];
}
