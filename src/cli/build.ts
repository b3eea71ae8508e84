/** `metalboot build <image>`: fetch, verify and assemble an image into the store; print its manifest. */
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { resolve } from 'node:path';
import type { DownloadProgress } from '../image/download.js';
import { addConfigOption, loadConfigFromOptions } from './common.js';
import type { CliIo, CliStream } from './io.js';
import { printJson } from './io.js';

interface BuildCliOptions {
  config?: string;
  out?: string;
  json?: boolean;
}

/** A progress bar on `stream` (stderr), only when it is a terminal. */
export function progressReporter(stream: CliStream): ((progress: DownloadProgress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let bar: SingleBar | undefined;
  let current = '';
  return (progress) => {
    if (progress.label !== current || !bar) {
      bar?.stop();
      current = progress.label;
      bar = new SingleBar({ stream, format: ` {label} [{bar}] {percentage}% {value}/{total} bytes`, hideCursor: true, clearOnComplete: false });
      bar.start(progress.total ?? 0, 0, { label: progress.label });
    }
    if (progress.total === undefined) bar.setTotal(progress.received);
    bar.update(progress.received);
    if (progress.done) {
      bar.stop();
      bar = undefined;
    }
  };
}

export function registerBuild(program: Command, io: CliIo): void {
  const command = program
    .command('build')
    .argument('<image>', 'image name from the config (images:)')
    .option('--out <dir>', 'state directory to write assets and the manifest to (default: server.state_dir)')
    .option('--json', 'print the manifest and its path as JSON')
    .summary('build an image: kernel + initrd (+ disk image) into the content-addressed store')
    .description(
      'Fetch (and verify) the kernel and initrd of an image, prepend early microcode, add overlays or the ' +
        'injected preseed, and store them by sha256 under <state_dir>/assets; then write <state_dir>/images/<image>.json. ' +
        'Types rootfs and disk build from Debian packages with mmdebstrap (root, network; cached under <state_dir>/cache/ by ' +
        'everything that decides the bytes): rootfs a RAM OS; disk a RAM installer plus the installed system\'s gzip\'d ' +
        'disk image (GPT, GRUB for BIOS and UEFI, ext4 root), stored as asset disk.raw.gz and handed to the installer as ' +
        'metalboot.disk=<url> on its kernel line. Step lines of these long builds go to stderr. ' +
        'A failed build leaves the previous manifest and assets untouched.',
    )
    .addHelpText('after', '\nExamples:\n  metalboot build debian12\n  metalboot build lk --out ./dist-state --json\n  metalboot build disk    # images: disk: {type: disk}: installer + disk image (4–6 min the first time)')
    .action(async (name: string, options: BuildCliOptions) => {
      const { buildImage } = await import('../image/build.js');
      const config = await loadConfigFromOptions(options, io.env);
      const onProgress = options.json ? undefined : progressReporter(io.stderr);
      const result = await buildImage(config, name, {
        ...(options.out ? { stateDir: resolve(options.out) } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
      if (options.json) {
        printJson(io, { manifestPath: result.manifestPath, manifest: result.manifest });
        return;
      }
      io.stdout.write(`built ${result.manifest.name} → ${result.manifestPath}\n`);
      for (const variant of Object.values(result.manifest.variants)) {
        if (!variant) continue;
        io.stdout.write(`  ${variant.arch}: ${variant.kernel.name} ${variant.kernel.sha256.slice(0, 12)} (${variant.kernel.size} B), ` +
          `${variant.initrd.name} ${variant.initrd.sha256.slice(0, 12)} (${variant.initrd.size} B, ${variant.compression})` +
          `${variant.disk ? `, ${variant.disk.name} ${variant.disk.sha256.slice(0, 12)} (${variant.disk.size} B)` : ''}\n`);
      }
    });
  addConfigOption(command);
}
