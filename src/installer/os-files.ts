/**
 * The files an installed system gets from metalboot: the RAM image's own per-device applier and
 * "booted" reporter (rootfs/ in this package is their one copy), served unchanged at
 * /os-files/<path> and fetched by the preseed's late_command into /target/<path>. With
 * /etc/metalboot/device.json (written by the same late_command) they do on every boot of the
 * installed system what they do in the RAM image: bond0 through systemd-networkd, host name, SSH
 * keys, then the "booted" report with facts. Pure data; nothing here is secret.
 */
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { shellQuote } from './template.js';

export interface OsFile {
  /** Path under rootfs/ and under the installed system's root. */
  readonly path: string;
  readonly mode: '0755' | '0644';
}

export const OS_FILES: readonly OsFile[] = [
  { path: 'usr/lib/metalboot/apply-device-data', mode: '0755' },
  { path: 'usr/lib/metalboot/network.jq', mode: '0644' },
  { path: 'usr/lib/metalboot/report-booted', mode: '0755' },
  { path: 'usr/lib/metalboot/bond-facts.jq', mode: '0644' },
  { path: 'usr/lib/systemd/system/metalboot-device.service', mode: '0644' },
  { path: 'usr/lib/systemd/system/metalboot-report.service', mode: '0644' },
];

/** The units the installed system enables (systemd-networkd brings bond0 up from the applier's files). */
export const OS_UNITS = ['systemd-networkd.service', 'metalboot-device.service', 'metalboot-report.service'] as const;

/** The shipped copy of an OS file (undefined for a path not in OS_FILES). */
export function osFileSource(path: string): string | undefined {
  return OS_FILES.some((file) => file.path === path) ? join(PACKAGE_ROOT, 'rootfs', path) : undefined;
}

/** Shell commands (for d-i's late_command, one line) that fetch every OS file into /target with its mode. */
export function osFilesFetch(filesUrl: string): string {
  const dirs = [...new Set(OS_FILES.map((file) => `/target/${file.path.slice(0, file.path.lastIndexOf('/'))}`))];
  const executable = OS_FILES.filter((file) => file.mode === '0755').map((file) => `/target/${file.path}`);
  return [
    `mkdir -p ${dirs.join(' ')}`,
    `for f in ${OS_FILES.map((file) => file.path).join(' ')}; do wget -q -O "/target/$f" ${shellQuote(`${filesUrl}/`)}"$f"; done`,
    `chmod 0755 ${executable.join(' ')}`,
  ].join('; ');
}
