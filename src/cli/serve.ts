/** `metalboot serve`: the boot asset server (assets, per-device scripts, installer answers, events, uploads). */
import type { Command } from 'commander';
import { isHttpUrl } from '../config/fields.js';
import type { Config } from '../config/types.js';
import type { DhcpMode, DhcpService } from '../dhcp/index.js';
import { DHCP_MODES, preflightDhcp, startDhcpService } from '../dhcp/index.js';
import { UsageError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import { createLogger } from '../server/logging.js';
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
  dhcp?: string;
  interface?: string;
  range?: string;
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
        '(/api/events, bearer $METALBOOT_TOKEN or the read-only $METALBOOT_READ_TOKEN), the upload API used by ' +
        '`metalboot push http://…` (bearer $METALBOOT_TOKEN), and the operator dashboard at /ui (log in with $METALBOOT_TOKEN, or $METALBOOT_READ_TOKEN to only look). SIGHUP reloads the config; SIGTERM drains and exits.',
    )
    .option('--listen <host:port>', 'address to listen on (default: server.listen)')
    .option('--public-url <url>', 'URL devices use in their scripts (default: server.public_url, or the tunnel URL)')
    .option('--tunnel <kind>', 'open a public tunnel and use its URL (ngrok: needs $NGROK_AUTHTOKEN)')
    .option('--socket <path>', 'also listen on this unix socket')
    .option('--drain <seconds>', 'on SIGTERM, wait at most this long for downloads to finish', '30')
    .option('--dhcp <mode>', 'also run dnsmasq on --interface for network boot on your own L2: proxy (next to the site\'s DHCP server) or full (hands out --range); only the devices\' MACs are answered; needs root')
    .option('--interface <name>', 'with --dhcp: the interface the devices\' network is on')
    .option('--range <first,last>', 'with --dhcp full: the IPv4 addresses to hand out')
    .option('--events-max <count>', 'boot events kept: the oldest beyond this many are pruned', '100000')
    .option('--events-max-age <duration>', 'boot events older than this are pruned (e.g. 30d, 12h)', '30d')
    .addHelpText('after', '\nExamples:\n  metalboot serve\n  metalboot serve --listen 0.0.0.0:8080 --public-url http://10.0.0.5:8080\n  NGROK_AUTHTOKEN=… metalboot serve --tunnel ngrok\n' +
      '  metalboot serve --listen 10.0.0.5:8080 --dhcp proxy --interface eno1            # PXE → iPXE → /boot.ipxe beside the site\'s DHCP\n' +
      '  metalboot serve --listen 10.0.0.5:8080 --dhcp full --interface br0 --range 10.0.0.100,10.0.0.199')
    .action(async (options: ServeCliOptions) => {
      const { runServe } = await import('../server/run.js');
      const { dashboardRoutes } = await import('../dashboard/index.js');
      const dhcp = dhcpRequest(options);
      const drain = Number(options.drain);
      if (!Number.isFinite(drain) || drain < 0) throw new UsageError(`--drain ${JSON.stringify(options.drain)} is not a number of seconds`);
      if (options.publicUrl !== undefined && !isHttpUrl(options.publicUrl)) {
        throw new UsageError(`--public-url ${JSON.stringify(options.publicUrl)} must be an http:// or https:// URL`);
      }
      const logger = createLogger();
      if (dhcp) await preflightDhcp(dhcp); // before serving: a missing interface or root costs nothing
      let service: DhcpService | undefined;
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
        {
          env: io.env,
          logger,
          providerMacs: metalPortMacs(io.env),
          say: (line) => void io.stderr.write(`${line}\n`),
          // the operator dashboard at /ui (docs/dashboard.md); with METAL_AUTH_TOKEN it shows provider state and can re-image
          extraRoutes: dashboardRoutes(io.env.METAL_AUTH_TOKEN ? { provider: metalOpener(io.env) } : {}),
          onReload: async (config) => service?.update(config),
        },
      );
      if (dhcp) {
        try {
          service = await startDhcpService({ ...dhcp, logger }, handle.config);
        } catch (error) {
          await handle.stop();
          throw error;
        }
        io.stderr.write(`metalboot: ${dhcp.mode} DHCP on ${dhcp.interface} (dnsmasq ${service.configFile}): PXE firmware → iPXE → ${handle.publicUrl}/boot.ipxe\n`);
      }
      await handle.done;
      await service?.stop();
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

/** --dhcp, --interface and --range, checked together; undefined without --dhcp. */
export function dhcpRequest(options: Pick<ServeCliOptions, 'dhcp' | 'interface' | 'range'>): { mode: DhcpMode; interface: string; range?: { start: string; end: string } } | undefined {
  if (options.dhcp === undefined) {
    if (options.interface !== undefined || options.range !== undefined) throw new UsageError('--interface and --range go with --dhcp proxy|full');
    return undefined;
  }
  const mode = DHCP_MODES.find((m) => m === options.dhcp);
  if (!mode) throw new UsageError(`--dhcp ${JSON.stringify(options.dhcp)}: expected proxy or full`);
  if (!options.interface) throw new UsageError(`--dhcp ${mode} needs --interface NAME (the network the devices boot on)`);
  if (mode === 'proxy') {
    if (options.range !== undefined) throw new UsageError('--range goes with --dhcp full; in proxy mode the site\'s DHCP server hands out the addresses');
    return { mode, interface: options.interface };
  }
  const parts = (options.range ?? '').split(',');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError('--dhcp full needs --range FIRST,LAST, e.g. --range 10.0.0.100,10.0.0.199');
  return { mode, interface: options.interface, range: { start: parts[0].trim(), end: parts[1].trim() } };
}
