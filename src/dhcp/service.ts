/**
 * `serve --dhcp`: dnsmasq supervised by metalboot. At start: checks (root, dnsmasq, the interface),
 * the TFTP root, the hosts file, the config, `dnsmasq --test`, then dnsmasq. On a config change
 * (`update`, called after metalboot's own SIGHUP reload): a new hosts file is renamed into the
 * watched directory (dnsmasq adds MACs by itself; when one was removed it gets a SIGHUP), and a
 * changed dnsmasq config (e.g. another public URL) is tested, then dnsmasq restarted. An
 * unexpected exit restarts it with a growing delay. `stop` ends it (metalboot stopping).
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { MetalbootError } from '../errors.js';
import { findProgram } from '../host/files.js';
import { trimBase } from '../util/url.js';
import { stageBootFiles } from './boot-files.js';
import { renderDnsmasqConfig } from './dnsmasq-config.js';
import type { DnsmasqChild } from './dnsmasq-process.js';
import { startDnsmasq, testDnsmasqConfig } from './dnsmasq-process.js';
import { RUN_DIR, dhcpPaths, readText, writeAtomically } from './files.js';
import { HOSTS_FILE, deviceMacs, renderHostsFile } from './hosts.js';
import { checkRange, interfaceNetwork, listInterfaces } from './interface.js';
import type { InterfaceNetwork } from './interface.js';
import type { BootFileNames, DhcpMode, DhcpRange } from './types.js';

export interface DhcpServiceOptions {
  readonly mode: DhcpMode;
  readonly interface: string;
  readonly range?: DhcpRange;
  readonly logger: Logger;
  /** The dnsmasq binary (default: found on PATH and in the sbin directories). */
  readonly dnsmasq?: string;
  /** Its files (default /run/metalboot/dhcp-<interface>; must be readable by the user dnsmasq drops to). */
  readonly runDir?: string;
  /** Tests run it unprivileged against a fake dnsmasq. */
  readonly skipRootCheck?: boolean;
}

export interface DhcpService {
  readonly configFile: string;
  readonly hostsFile: string;
  /** The current dnsmasq's pid. */
  pid(): number | undefined;
  /** Apply a (re)loaded config whose server.publicUrl is what devices use. Never throws: failures are logged, the running dnsmasq stays. */
  update(config: Config): Promise<void>;
  stop(): Promise<void>;
}

const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/** The checks that need no config: run them before the HTTP server starts, so a mistake costs nothing. */
export async function preflightDhcp(options: Pick<DhcpServiceOptions, 'interface' | 'range' | 'dnsmasq' | 'skipRootCheck'>): Promise<{ binary: string; net: InterfaceNetwork }> {
  if (!options.skipRootCheck && process.getuid?.() !== 0) {
    throw new MetalbootError('serve --dhcp needs root: dnsmasq listens on the DHCP (67) and TFTP (69) ports', {
      code: 'E_DHCP_NOT_ROOT', hint: 'run metalboot serve as root (e.g. sudo -E), or without --dhcp',
    });
  }
  const binary = await findProgram(options.dnsmasq ?? 'dnsmasq');
  if (!binary) throw new MetalbootError('serve --dhcp: dnsmasq is not installed', { code: 'E_DHCP', hint: 'apt-get install dnsmasq-base' });
  const net = interfaceNetwork(options.interface, await listInterfaces());
  if (options.range) checkRange(options.range, net, options.interface);
  return { binary, net };
}

export async function startDhcpService(options: DhcpServiceOptions, config: Config): Promise<DhcpService> {
  const { binary, net } = await preflightDhcp(options);
  const paths = dhcpPaths(options.runDir ?? join(RUN_DIR, `dhcp-${options.interface}`));
  const hostsFile = join(paths.hostsDir, HOSTS_FILE);
  const log = options.logger;
  for (const dir of [paths.dir, paths.hostsDir]) {
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
  }
  await killStale(paths.pidFile, paths.configFile, log);
  const bootFiles = await stageBootFiles(paths.tftpRoot);
  const render = (c: Config): string => renderDnsmasqConfig({
    mode: options.mode, interface: options.interface, network: { address: net.network, netmask: net.netmask },
    ...(options.range ? { range: options.range } : {}),
    bootUrl: `${trimBase(c.server.publicUrl)}/boot.ipxe`, bootFiles: bootFiles satisfies BootFileNames,
    tftpRoot: paths.tftpRoot, hostsDir: paths.hostsDir, leaseFile: paths.leaseFile, pidFile: paths.pidFile,
  });

  checkReachable(config.server.publicUrl, options.interface);
  let macs = deviceMacs(config);
  await writeAtomically(hostsFile, renderHostsFile(config));
  let text = render(config);
  await writeAtomically(paths.candidateFile, text);
  await testDnsmasqConfig(binary, paths.candidateFile);
  await writeAtomically(paths.configFile, text);

  let child: DnsmasqChild | undefined;
  let stopping = false;
  let failures = 0;
  const launch = async (): Promise<void> => {
    child = await startDnsmasq(binary, paths.configFile, log, options.interface);
    log.info({ dnsmasq: 'main', pid: child.pid, mode: options.mode, interface: options.interface, devices: macs.length }, 'dnsmasq started');
    const current = child;
    void current.exited.then((code) => {
      if (stopping || child !== current) return;
      child = undefined;
      const delay = RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)]!;
      failures += 1;
      log.error({ dnsmasq: 'main', code }, `dnsmasq exited unexpectedly; restarting in ${delay / 1000} s`);
      setTimeout(() => {
        if (!stopping) launch().catch((error: unknown) => log.error({ dnsmasq: 'main', err: (error as Error).message }, 'dnsmasq restart failed'));
      }, delay).unref();
    });
  };
  await launch();

  const update = async (next: Config): Promise<void> => {
    try {
      const nextMacs = deviceMacs(next);
      if (nextMacs.join() !== macs.join()) {
        await writeAtomically(hostsFile, renderHostsFile(next));
        const removed = macs.filter((mac) => !nextMacs.includes(mac));
        macs = nextMacs;
        if (removed.length) child?.reload(); // dnsmasq only adds hosts by itself
        log.info({ dnsmasq: 'main', devices: macs.length, removed: removed.length }, 'dhcp hosts updated');
      }
      checkReachable(next.server.publicUrl, options.interface);
      const nextText = render(next);
      if (nextText === text) return;
      await writeAtomically(paths.candidateFile, nextText);
      await testDnsmasqConfig(binary, paths.candidateFile);
      await writeAtomically(paths.configFile, nextText);
      text = nextText;
      const old = child;
      child = undefined;
      await old?.stop();
      await launch();
      log.info({ dnsmasq: 'main' }, 'dnsmasq restarted with the new config');
    } catch (error) {
      log.error({ dnsmasq: 'main', err: (error as Error).message }, 'dhcp update failed; dnsmasq keeps the previous config');
    }
  };
  return {
    configFile: paths.configFile,
    hostsFile,
    pid: () => child?.pid,
    update,
    async stop() {
      stopping = true;
      const old = child;
      child = undefined;
      await old?.stop();
    },
  };
}

/** The chain script's URL goes to machines on the interface's network: a loopback or wildcard URL sends them nowhere. */
export function checkReachable(publicUrl: string, iface: string): void {
  let host: string;
  try {
    host = new URL(publicUrl).hostname;
  } catch {
    return; // the renderer names a URL it cannot hand out
  }
  if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|\[::\])$/.test(host)) {
    throw new MetalbootError(`serve --dhcp: devices on ${iface} would be sent to ${publicUrl}, which they cannot reach (loopback or a wildcard address)`, {
      code: 'E_DHCP_CONFIG', hint: `listen where they reach you (--listen <${iface}'s address>:8080) or set server.public_url / --public-url`,
    });
  }
}

/** A dnsmasq left by a metalboot that was killed outright still holds the ports: end it, if it runs our config. */
async function killStale(pidFile: string, configFile: string, log: Logger): Promise<void> {
  const pid = Number((await readText(pidFile))?.trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes(`--conf-file=${configFile}`)) return;
  log.warn({ dnsmasq: 'main', pid }, 'stopping a dnsmasq left running by an earlier metalboot serve');
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 30 && (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')); i++) await new Promise((r) => setTimeout(r, 100));
}
