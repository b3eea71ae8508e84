/** `metalboot mirror <image>`: build the partial Debian mirror an image's installs need. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addConfigOption, loadConfigFromOptions } from './common.js';
import type { CliIo } from './io.js';
import { printJson } from './io.js';

interface MirrorCliOptions {
  config?: string;
  out?: string;
  cache?: string;
  keyring?: string;
  allowMissing?: boolean;
  json?: boolean;
}

export function registerMirror(program: Command, io: CliIo): void {
  const command = program
    .command('mirror')
    .argument('<image>', 'a debian image from the config, built with metalboot build')
    .option('--out <dir>', 'where the mirror goes (default: <cache>/mirrors/<image>)')
    .option('--cache <dir>', 'verified downloads, by sha256 (default: $METALBOOT_CACHE_DIR, else <state_dir>/cache)')
    .option('--keyring <file>', 'OpenPGP keyring the suite must be signed with', '/usr/share/keyrings/debian-archive-keyring.gpg')
    .option('--allow-missing', 'finish even when the upstream lacks some files (404): the mirror is incomplete and says so')
    .option('--json', 'print a summary as JSON (files, bytes, fetched vs reused, seconds)')
    .summary('build the partial Debian mirror an image\'s installs need (installer udebs, base system, preseed packages)')
    .description(
      'Build a partial Debian mirror from the image\'s upstream `mirror` for offline installs: the installer\'s udebs for the ' +
        'kernel of the image\'s initrd, the base system, the kernel, GRUB (BIOS and EFI) and what the preseed asks for ' +
        '(tasksel/first, pkgsel/include), resolved by apt. Debian\'s signed InRelease and indexes are kept verbatim and ' +
        'verified with gpgv; every file is checked against its signed sha256. Re-running fetches only what is missing; ' +
        'the new mirror replaces the old one atomically, and a failed run leaves the old one in place. Needs apt-get and gpgv.',
    )
    .addHelpText('after', '\nExamples:\n  metalboot build debian12 && metalboot mirror debian12\n  METALBOOT_CACHE_DIR=/var/cache/metalboot metalboot mirror debian12 --json')
    .action(async (name: string, options: MirrorCliOptions) => {
      const { buildMirror } = await import('../mirror/build.js');
      const { cacheRoot, mirrorDir } = await import('../mirror/paths.js');
      const { readPreseedAsks } = await import('../mirror/preseed-asks.js');
      const { terminalMirrorProgress } = await import('../mirror/progress.js');
      const { templatePath } = await import('../installer/template-path.js');
      const config = await loadConfigFromOptions(options, io.env);
      const image = config.images[name];
      if (!image) throw new UsageError(`no image "${name}" in ${config.file}`, { hint: `images: ${Object.keys(config.images).join(', ') || '(none)'}` });
      if (image.type !== 'debian') throw new UsageError(`image "${name}" is a ${image.type} image; metalboot mirror builds Debian mirrors only`);
      if (!image.mirror) throw new UsageError(`image "${name}" has no upstream mirror to build from`, { hint: 'set images.' + name + '.mirror: https://deb.debian.org/debian' });
      const cacheDir = resolve(options.cache ?? cacheRoot(config.server.stateDir, io.env));
      const out = resolve(options.out ?? mirrorDir(cacheDir, name));
      const asks = readPreseedAsks(await readFile(templatePath(image, 'preseed'), 'utf8'));
      const progress = options.json ? undefined : terminalMirrorProgress(io.stderr);
      const summary = await buildMirror({
        image, stateDir: config.server.stateDir, upstream: image.mirror, out, cacheDir, keyring: resolve(options.keyring!), asks,
        ...(options.allowMissing ? { allowMissing: true } : {}), ...(progress ? { progress } : {}),
      });
      if (options.json) return printJson(io, summary);
      const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
      io.stdout.write(
        `mirror of ${summary.image} (${summary.release}, ${summary.arches.map((a) => `${a.debArch} kernel ${a.abi}: ${a.udebs} udebs, ${a.debs} debs`).join('; ')}) → ${summary.out}\n` +
          `  ${summary.files} files, ${mb(summary.bytes)} MB; fetched ${summary.fetched.files} (${mb(summary.fetched.bytes)} MB), reused ${summary.reused.files} (${mb(summary.reused.bytes)} MB), ${summary.seconds} s\n` +
          (summary.missing.length > 0 ? `  INCOMPLETE: upstream lacks ${summary.missing.length} files (listed in ${summary.generation}/metalboot-mirror.json); installs from this mirror will fail\n` : ''),
      );
    });
  addConfigOption(command);
}
