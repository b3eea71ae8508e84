/**
 * The built RAM image itself, read back with the project's cpio reader: what finish.ts promises
 * is in the archive (and what it removed is not). Needs the image the e2e boot uses
 * (npm run setup:rootfs); skipped without it.
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { rootfsTestState } from '../setup/cache.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CpioReadEntry } from '../../src/initrd/cpio-reader.js';
import { readCpio } from '../../src/initrd/cpio-reader.js';
import { decompressStream } from '../../src/initrd/compression.js';
import { assetFile, readManifest } from '../../src/image/store.js';
import { MASKED_UNITS } from '../../src/image/rootfs/finish.js';
import { parseModulesDep } from '../../src/image/rootfs/modules.js';
import { readShipped } from '../../src/image/rootfs/shipped.js';

const STATE = rootfsTestState();
const built = existsSync(join(STATE, 'images/ram.json'));
if (!built) console.warn(`[skip] rootfs image contents: no image in ${STATE} (npm run setup:rootfs)`);

type Listed = Omit<CpioReadEntry, 'data'> & { text?: string };
const SMALL_TEXT = /^(etc\/(passwd|group|machine-id|hostname)|var\/lib\/dpkg\/status|usr\/lib\/modules\/[^/]+\/modules\.dep)$/;

describe.skipIf(!built)('the built rootfs image', () => {
  const entries = new Map<string, Listed>();

  beforeAll(async () => {
    const manifest = await readManifest(STATE, 'ram');
    const variant = manifest.variants.x86_64!;
    const stream = decompressStream(createReadStream(assetFile(STATE, variant.initrd.sha256)), variant.compression);
    for await (const { data, ...entry } of readCpio(stream)) {
      entries.set(entry.name, { ...entry, ...(SMALL_TEXT.test(entry.name) ? { text: data.toString('utf8') } : {}) });
    }
  }, 120_000);

  it('runs systemd as /init and has no kernel, initrd tool or per-device secret in it', () => {
    expect(entries.get('init')).toMatchObject({ type: 'symlink', target: '/usr/lib/systemd/systemd' });
    const names = [...entries.keys()];
    expect(names.filter((name) => name.startsWith('boot/'))).toEqual([]);
    expect(names.filter((name) => /^etc\/ssh\/ssh_host_/.test(name))).toEqual([]);
    expect(names.filter((name) => name.startsWith('etc/metalboot'))).toEqual([]);
    expect(names.filter((name) => /^usr\/share\/(man|initramfs-tools)\//.test(name))).toEqual([]);
    expect(entries.get('etc/machine-id')?.size).toBe(0);
    expect(entries.get('etc/hostname')?.text).toBe('metalboot\n');
  });

  it('keeps owners, setuid bits and times zeroed', () => {
    const shadowGid = Number(/^shadow:x:(\d+):/m.exec(entries.get('etc/group')?.text ?? '')?.[1]);
    expect(entries.get('etc/shadow')).toMatchObject({ gid: shadowGid, mode: 0o100640 });
    expect((entries.get('usr/bin/passwd')?.mode ?? 0) & 0o4000).toBe(0o4000);
    expect([...entries.values()].every((entry) => entry.mtime === 0)).toBe(true);
  });

  it('installed the stand-in for initramfs-tools, and neither initramfs-tools nor usrmerge', () => {
    const installed = [...(entries.get('var/lib/dpkg/status')?.text ?? '').matchAll(/^Package: (.+)$/gm)].map((m) => m[1]);
    expect(installed).toEqual(expect.arrayContaining(['metalboot-no-initramfs', 'systemd', 'openssh-server', 'jq', 'curl']));
    expect(installed.filter((name) => ['initramfs-tools', 'busybox', 'usrmerge', 'perl'].includes(name!))).toEqual([]);
  });

  it('carries the shipped files with their modes, their units enabled and the boot-time costs masked', async () => {
    for (const shipped of await readShipped()) {
      if (shipped.type !== 'file') continue;
      expect(entries.get(shipped.path)?.mode, shipped.path).toBe(0o100000 | shipped.mode);
    }
    expect(entries.get('etc/systemd/system/sysinit.target.wants/metalboot-device.service')?.type).toBe('symlink');
    expect(entries.get('etc/systemd/system/multi-user.target.wants/metalboot-report.service')?.type).toBe('symlink');
    expect(entries.get('etc/systemd/system/getty.target.wants/getty@tty1.service')).toBeUndefined();
    for (const unit of MASKED_UNITS) expect(entries.get(`etc/systemd/system/${unit}`), unit).toMatchObject({ target: '/dev/null' });
  });

  it('keeps every module the kept modules depend on (modules.dep is whole)', () => {
    const dep = [...entries.keys()].find((name) => /^usr\/lib\/modules\/[^/]+\/modules\.dep$/.test(name))!;
    const base = dep.replace(/modules\.dep$/, '');
    const deps = parseModulesDep(entries.get(dep)!.text!);
    expect(deps.size).toBeGreaterThan(100);
    const missing = [...deps.entries()].flatMap(([file, needs]) => [file, ...needs]).filter((file) => !entries.has(base + file));
    expect(missing).toEqual([]);
    expect([...deps.keys()].some((file) => file.endsWith('/bonding.ko'))).toBe(true);
    expect([...deps.keys()].some((file) => file.endsWith('/virtio_net.ko'))).toBe(true);
  });
});
