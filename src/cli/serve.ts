/** `metalboot serve`: the boot asset server (assets, per-device scripts, installer answers, events, uploads). */
import type { Command } from 'commander';
import { isHttpUrl } from '../config/fields.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { ProviderMacs } from '../server/port-macs.js';
import { addConfigOption, resolveConfigPath } from './common.js';
import type { CliIo } from './io.js';

interface ServeCliOptions {
  config?: string;
  listen?: string;
  publicUrl?: string;
  tunnel?: string;
  socket?: string;
  drain?: string;
  eventsMax: string;
  eventsMaxAge: string;
}

export function registerServe(program: Command, io: CliIo): void {
  const command = program
    .command('serve')
    .summary('serve assets, per-device iPXE scripts, preseeds/kickstarts and boot events over HTTP')
    .description(
      'Serve the built images: immutable assets at /assets/<sha256>/<name>, /boot.ipxe and /ipxe/<device>, ' +
        'per-device preseed/kickstart (readable only during an armed boot: `metalboot arm`, `reimage`), boot events ' +
        '(/api/events, bearer $METALBOOT_TOKEN or the read-only $METALBOOT_READ_TOKEN) and the upload API used by ' +
        '`metalboot push http://…` (bearer $METALBOOT_TOKEN). SIGHUP reloads the config; SIGTERM drains and exits.',
    )
    .option('--listen <host:port>', 'address to listen on (default: server.listen)')
    .option('--public-url <url>', 'URL devices use in their scripts (default: server.public_url, or the tunnel URL)')
    .option('--tunnel <kind>', 'open a public tunnel and use its URL (ngrok: needs $NGROK_AUTHTOKEN)')
    .option('--socket <path>', 'also listen on this unix socket')
    .option('--drain <seconds>', 'on SIGTERM, wait at most this long for downloads to finish', '30')
    .option('--events-max <count>', 'boot events kept: the oldest beyond this many are pruned', '100000')
    .option('--events-max-age <duration>', 'boot events older than this are pruned (e.g. 30d, 12h)', '30d')
    .addHelpText('after', '\nExamples:\n  metalboot serve\n  metalboot serve --listen 0.0.0.0:8080 --public-url http://10.0.0.5:8080\n  NGROK_AUTHTOKEN=… metalboot serve --tunnel ngrok')
    .action(async (options: ServeCliOptions) => {
      const { runServe } = await import('../server/run.js');
      const drain = Number(options.drain);
      if (!Number.isFinite(drain) || drain < 0) throw new UsageError(`--drain ${JSON.stringify(options.drain)} is not a number of seconds`);
      if (options.publicUrl !== undefined && !isHttpUrl(options.publicUrl)) {
        throw new UsageError(`--public-url ${JSON.stringify(options.publicUrl)} must be an http:// or https:// URL`);
      }
      const { parseDuration } = await import('../util/duration.js');
      const maxEvents = Number(options.eventsMax);
      if (!Number.isInteger(maxEvents) || maxEvents < 1) throw new UsageError(`--events-max ${JSON.stringify(options.eventsMax)} is not a positive whole number`);
      const maxAgeMs = parseDuration(options.eventsMaxAge, '--events-max-age', 3650 * 86_400_000);
      // The process's signals still reach the server (SIGHUP reloads, SIGTERM drains); its request log is the server's own.
      const handle = await runServe(
        {
          configFile: resolveConfigPath(options.config, io.env),
          listen: options.listen,
          publicUrl: options.publicUrl,
          tunnel: options.tunnel,
          socket: options.socket,
          drainMs: drain * 1000,
          eventsRetention: { maxEvents, maxAgeMs },
        },
        { env: io.env, providerMacs: metalPortMacs(io.env), say: (line) => void io.stderr.write(`${line}\n`) },
      );
      await handle.done;
    });
  addConfigOption(command);
}

/** With METAL_AUTH_TOKEN set, devices without `macs` get their bond slaves from the Metal device's network_ports. */
export function metalPortMacs(env: NodeJS.ProcessEnv): ((config: Config) => Promise<ProviderMacs>) | undefined {
  if (!env.METAL_AUTH_TOKEN) return undefined;
  return async (config) => {
    const { createProvider } = await import('../providers/metal/index.js');
    const provider = createProvider({ config, env });
    return async (metalId) => (await provider.getDevice(metalId)).macs;
  };
}
