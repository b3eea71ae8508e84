/** `metalboot push <image> --to DIR|s3://bucket/prefix|http(s)://server`: publish a built image. */
import type { Command } from 'commander';
import { isHttpUrl } from '../config/fields.js';
import { loadServerSecret } from '../config/secret.js';
import { UsageError } from '../errors.js';
import { addConfigOption, loadConfigFromOptions } from './common.js';
import type { CliIo } from './io.js';
import { printJson } from './io.js';

interface PushCliOptions {
  config?: string;
  to?: string;
  baseUrl?: string;
  s3Endpoint?: string;
  json?: boolean;
}

export function registerPush(program: Command, io: CliIo): void {
  const command = program
    .command('push')
    .argument('<image>', 'image name from the config (built with metalboot build)')
    .requiredOption('--to <destination>', 'a directory, s3://bucket/prefix, or http(s)://metalboot-server')
    .option('--base-url <url>', 'URL devices fetch a directory/bucket at (written into the rendered scripts)')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (MinIO, R2, Ceph); default: AWS')
    .option('--json', 'print the result as JSON')
    .summary('copy a built image (assets, manifest, scripts) to a directory, a bucket or a server')
    .description(
      'Copy a built image to where devices boot from. Only assets the destination lacks are uploaded. ' +
        'A directory or bucket also gets ipxe/<device> for every device using the image, and boot.ipxe, ' +
        'rendered with --base-url. A metalboot server needs $METALBOOT_TOKEN; S3 uses the standard AWS variables.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  metalboot push debian12 --to /var/www/boot --base-url http://10.0.0.5\n' +
        '  metalboot push debian12 --to s3://boot-images/prod --s3-endpoint https://minio.lan:9000\n' +
        '  METALBOOT_TOKEN=… metalboot push debian12 --to https://boot.example.net',
    )
    .action(async (image: string, options: PushCliOptions) => {
      const { openDestination } = await import('../push/destination.js');
      const { terminalProgress } = await import('../push/progress.js');
      const { pushImage } = await import('../push/push.js');
      const config = await loadConfigFromOptions(options, io.env);
      if (options.baseUrl !== undefined && !isHttpUrl(options.baseUrl)) {
        throw new UsageError(`--base-url ${JSON.stringify(options.baseUrl)} must be an http:// or https:// URL`);
      }
      const { target, defaultBaseUrl } = await openDestination(options.to!, { s3Endpoint: options.s3Endpoint, env: io.env });
      // a directory or bucket is not the metalboot server: its scripts must not point at server.public_url
      const baseUrl = target.isStatic ? (options.baseUrl ?? defaultBaseUrl) : undefined;
      try {
        const result = await pushImage({
          config,
          image,
          target,
          baseUrl,
          secret: await loadServerSecret(config.server.stateDir, io.env),
          progress: options.json ? undefined : terminalProgress(io.stderr),
        });
        if (options.json) printJson(io, result);
        else {
          const mb = (result.uploaded.reduce((n, a) => n + a.size, 0) / 1024 / 1024).toFixed(1);
          io.stdout.write(
            `pushed ${result.image} to ${result.destination}: ${result.uploaded.length} asset(s) uploaded (${mb} MB), ${result.skipped.length} already there` +
              `${result.scripts.length ? `, ${result.scripts.length} script(s) for ${result.baseUrl}` : ''}\n`,
          );
        }
      } finally {
        await target.close?.();
      }
    });
  addConfigOption(command);
}
