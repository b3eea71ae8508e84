/** `metalboot serve`: the boot asset server (assets, per-device scripts, installer answers, events, uploads). */
import type { Command } from 'commander';
import { isHttpUrl } from '../config/fields.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
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
}

export function registerServe(program: Command, io: CliIo): void {
  const command = program
    .command('serve')
    .summary('serve assets, per-device iPXE scripts, preseeds/kickstarts and boot events over HTTP')
    .description(
      'Serve the built images: immutable assets at /assets/<sha256>/<name>, /boot.ipxe and /ipxe/<device>, ' +
        'per-device preseed/kickstart (token-protected), boot events (/api/events) and the upload API used by ' +
        '`metalboot push http://…` (bearer $METALBOOT_TOKEN), and the operator dashboard at /ui (log in with $METALBOOT_TOKEN, or $METALBOOT_READ_TOKEN to only look). SIGHUP reloads the config; SIGTERM drains and exits.',
    )
    .option('--listen <host:port>', 'address to listen on (default: server.listen)')
    .option('--public-url <url>', 'URL devices use in their scripts (default: server.public_url, or the tunnel URL)')
    .option('--tunnel <kind>', 'open a public tunnel and use its URL (ngrok: needs $NGROK_AUTHTOKEN)')
    .option('--socket <path>', 'also listen on this unix socket')
    .option('--drain <seconds>', 'on SIGTERM, wait at most this long for downloads to finish', '30')
    .addHelpText('after', '\nExamples:\n  metalboot serve\n  metalboot serve --listen 0.0.0.0:8080 --public-url http://10.0.0.5:8080\n  NGROK_AUTHTOKEN=… metalboot serve --tunnel ngrok')
    .action(async (options: ServeCliOptions) => {
      const { runServe } = await import('../server/run.js');
      const { dashboardRoutes } = await import('../dashboard/index.js');
      const drain = Number(options.drain);
      if (!Number.isFinite(drain) || drain < 0) throw new UsageError(`--drain ${JSON.stringify(options.drain)} is not a number of seconds`);
      if (options.publicUrl !== undefined && !isHttpUrl(options.publicUrl)) {
        throw new UsageError(`--public-url ${JSON.stringify(options.publicUrl)} must be an http:// or https:// URL`);
      }
      // The process's signals still reach the server (SIGHUP reloads, SIGTERM drains); its request log is the server's own.
      const handle = await runServe(
        {
          configFile: resolveConfigPath(options.config, io.env),
          listen: options.listen,
          publicUrl: options.publicUrl,
          tunnel: options.tunnel,
          socket: options.socket,
          drainMs: drain * 1000,
        },
        {
          env: io.env,
          providerMacs: metalPortMacs(io.env),
          say: (line) => void io.stderr.write(`${line}\n`),
          // the operator dashboard at /ui (docs/dashboard.md); with METAL_AUTH_TOKEN it shows provider state and can re-image
          extraRoutes: dashboardRoutes(io.env.METAL_AUTH_TOKEN ? { provider: metalOpener(io.env) } : {}),
        },
      );
      await handle.done;
    });
  addConfigOption(command);
}

/** The Metal provider for the dashboard (state column, Re-image), as `metalboot reimage --provider metal` opens it. */
function metalOpener(env: NodeJS.ProcessEnv): (config: Config) => Promise<Provider> {
  return async (config) => (await import('../reimage/provider-factory.js')).loadProvider('metal', { config, env });
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
