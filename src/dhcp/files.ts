/**
 * Where `serve --dhcp` keeps its files: the rendered config, the hosts directory dnsmasq watches,
 * the TFTP root, leases and pid file. By default in `/run/metalboot/dhcp-<interface>/` (mode 0755):
 * dnsmasq drops root for `nobody` and must still read the TFTP root and the hosts directory, which
 * a private state_dir would not allow. Writes go to a temporary name first and are renamed.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DhcpPaths {
  readonly dir: string;
  readonly configFile: string;
  /** A candidate config is tested here before it replaces configFile. */
  readonly candidateFile: string;
  readonly hostsDir: string;
  readonly tftpRoot: string;
  readonly leaseFile: string;
  readonly pidFile: string;
}

export const RUN_DIR = '/run/metalboot';

export function dhcpPaths(dir: string): DhcpPaths {
  return {
    dir,
    configFile: join(dir, 'dnsmasq.conf'),
    candidateFile: join(dir, 'dnsmasq.conf.next'),
    hostsDir: join(dir, 'hosts.d'),
    tftpRoot: join(dir, 'tftp'),
    leaseFile: join(dir, 'leases'),
    pidFile: join(dir, 'dnsmasq.pid'),
  };
}

/** Write-then-rename; the temporary name starts with a dot so dnsmasq's hosts directory watch skips it. */
export async function writeAtomically(file: string, text: string, mode = 0o644): Promise<void> {
  const slash = file.lastIndexOf('/');
  const temp = `${file.slice(0, slash + 1)}.${file.slice(slash + 1)}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await rename(temp, file);
}

export async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}
