/**
 * Turns what mmdebstrap installed into a RAM OS: keeps the modules it needs, drops what must not be
 * shared or would change between builds (SSH host keys, -old files, the hwdb sources), writes the
 * shipped files, enables the units and makes systemd the initramfs's /init.
 */
import { chmod, chown, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../../errors.js';
import { isFile } from '../../util/fs.js';
import type { PruneResult } from './prune-modules.js';
import { kernelVersionOf, pruneModules } from './prune-modules.js';
import type { ShippedEntry } from './shipped.js';

export const DEFAULT_HOSTNAME = 'metalboot';

/** Units enabled in every image (the shipped metalboot-*.service ones are added from rootfs/). */
export const ENABLED_UNITS = ['systemd-networkd.service', 'systemd-resolved.service', 'ssh.service'];
/** Units a RAM OS without VGA does not want at boot (a getty on tty1; timers that would run at once). */
export const DISABLED_UNITS = ['getty@tty1.service', 'systemd-network-generator.service', 'systemd-pstore.service'];
/**
 * Units that cost a process each at boot (seconds under emulation) and do nothing here: module
 * loads for DRM, EFI pstore, device mapper, loop, FUSE and configfs (their device nodes load them
 * on first use), and logind (no libpam-systemd: nothing registers sessions with it).
 */
export const MASKED_UNITS = [
  'modprobe@drm.service', 'modprobe@efi_pstore.service', 'modprobe@dm_mod.service', 'modprobe@loop.service',
  'modprobe@fuse.service', 'modprobe@configfs.service', 'systemd-logind.service',
];

export interface FinishInput {
  readonly root: string;
  /** Modules kept: the defaults and the config's own. */
  readonly modules: readonly string[];
  /** The config's own (warned about when this kernel has no such module). */
  readonly requested: readonly string[];
  readonly shipped: readonly ShippedEntry[];
  readonly log: (line: string) => void;
}

export interface FinishResult {
  readonly kernelVersion: string;
  readonly modules: PruneResult;
}

export async function finishRootfs(input: FinishInput): Promise<FinishResult> {
  const { root, log } = input;
  const kernelVersion = await kernelVersionOf(root);
  const modules = await pruneModules(root, kernelVersion, input.modules, () => inChroot(root, ['depmod', '-a', kernelVersion]));
  log(`kernel ${kernelVersion}: kept ${modules.kept} modules, dropped ${modules.dropped}`);
  for (const entry of modules.unmatched.filter((wanted) => input.requested.includes(wanted))) {
    log(`warning: no module of kernel ${kernelVersion} matches "${entry}" (images.*.modules)`);
  }
  await removeVolatile(root);
  await writeShipped(root, input.shipped);
  await setIdentity(root);
  const units = input.shipped.filter((e) => e.type === 'file' && /^usr\/lib\/systemd\/system\/metalboot-[^/]+\.service$/.test(e.path));
  await inChroot(root, ['systemctl', 'enable', ...ENABLED_UNITS, ...units.map((e) => e.path.split('/').pop()!)]);
  await inChroot(root, ['systemctl', 'disable', ...DISABLED_UNITS, ...(await timers(root))]);
  await inChroot(root, ['systemctl', 'mask', ...MASKED_UNITS]);
  await symlink('/usr/lib/systemd/systemd', join(root, 'init'));
  return { kernelVersion, modules };
}

async function inChroot(root: string, argv: readonly string[]): Promise<void> {
  try {
    await execa('chroot', [root, ...argv], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C.UTF-8' }, extendEnv: false });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' / ') ?? String(error);
    throw new BuildError(`"${argv.join(' ')}" failed in the new root filesystem: ${detail}`, { cause: error });
  }
}

async function removeVolatile(root: string): Promise<void> {
  const globs: Array<[string, RegExp]> = [
    ['etc/ssh', /^ssh_host_.*_key(\.pub)?$/],   // per device: generated at boot
    ['var/cache/debconf', /-old$/],
    ['var/lib/dpkg', /-old$/],
    ['var/cache/apt', /\.bin$/],
    ['', /^(vmlinuz|initrd\.img)(\.old)?$/],      // links into /boot, which is not packed
  ];
  for (const [dir, pattern] of globs) {
    for (const name of await readdir(join(root, dir)).catch(() => [] as string[])) {
      if (pattern.test(name)) await rm(join(root, dir, name), { force: true });
    }
  }
  // the hardware database (13 MB): only names of vendors and models, nothing a server boot needs
  await rm(join(root, 'usr/lib/udev/hwdb.d'), { recursive: true, force: true });
  await rm(join(root, 'usr/lib/udev/hwdb.bin'), { force: true });
  await rm(join(root, 'var/lib/dbus/machine-id'), { force: true });
}

async function writeShipped(root: string, entries: readonly ShippedEntry[]): Promise<void> {
  for (const entry of entries) {
    const target = join(root, entry.path);
    if (entry.type === 'dir') {
      await mkdir(target, { recursive: true, mode: 0o755 });
      continue;
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await rm(target, { force: true });
    if (entry.type === 'symlink') await symlink(entry.target, target);
    else {
      await writeFile(target, entry.data);
      await chmod(target, entry.mode);
    }
    await chown(target, 0, 0).catch(() => undefined);
  }
}

/** Same bytes on every build host: no host name, resolver or machine id copied in by mmdebstrap. */
async function setIdentity(root: string): Promise<void> {
  await writeFile(join(root, 'etc/hostname'), `${DEFAULT_HOSTNAME}\n`, { mode: 0o644 });
  await writeFile(join(root, 'etc/hosts'), '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n', { mode: 0o644 });
  await writeFile(join(root, 'etc/machine-id'), '', { mode: 0o444 });
  await rm(join(root, 'etc/resolv.conf'), { force: true });
  if (await isFile(join(root, 'usr/lib/systemd/systemd-resolved'))) {
    await symlink('../run/systemd/resolve/stub-resolv.conf', join(root, 'etc/resolv.conf'));
  }
}

async function timers(root: string): Promise<string[]> {
  const names = await readdir(join(root, 'etc/systemd/system/timers.target.wants')).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.timer')).sort();
}
