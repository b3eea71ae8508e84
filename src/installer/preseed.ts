/** The per-device Debian preseed (served at /preseed/<device>.cfg). Pure: template + input → text. */
import { fillTemplate } from '../util/template.js';
import { oneLine, shellQuote } from './template.js';
import type { InstallerRenderInput } from './types.js';
import { commonValues, sshKeys } from './values.js';
import { trimBase } from '../util/url.js';
import { serialConsole } from '../ipxe/kernel-line.js';
import { mirrorUrl, osFilesUrl } from '../ipxe/urls.js';
import { RenderError } from '../errors.js';
import { OS_UNITS, osFilesFetch } from './os-files.js';

/** The line the per-device preseed's early_command writes on the serial console: proof (and news for an operator) that it loaded. */
export function preseedLoadedLine(hostname: string): string {
  return `metalboot: preseed for ${hostname} loaded`;
}

/** The serial port of the device's console (`console=ttyS1,…` → /dev/ttyS1), else /dev/console. */
function serialDevice(console: string): string {
  const port = serialConsole(console.split(' '));
  return port ? `/dev/ttyS${port.unit}` : '/dev/console';
}

/** Debian's default for apt-setup/services-select (bookworm): the security and updates suites. */
const UPSTREAM_SERVICES = 'security, updates';

/**
 * The mirror answers: the image's local partial mirror when it has `local_mirror: true` (served at
 * /mirror/<image>; it holds the release only, so no security/updates suites), else its http(s)
 * `mirror`, else deb.debian.org.
 */
function mirrorParts(input: InstallerRenderInput): { host: string; dir: string; protocol: string; services: string } {
  const image = input.image;
  const local = image.type === 'debian' && image.localMirror === true;
  const upstream = image.type === 'debian' ? image.mirror : undefined;
  const text = local ? mirrorUrl(input.baseUrl, image.name) : upstream && /^https?:\/\//.test(upstream) ? upstream : 'http://deb.debian.org/debian';
  const url = new URL(text);
  return { host: url.host, dir: trimBase(url.pathname) || '/', protocol: url.protocol.replace(':', ''), services: local ? '' : UPSTREAM_SERVICES };
}

export function preseedValues(input: InstallerRenderInput): Record<string, string> {
  const source = `preseed for device "${input.device.name}"`;
  const mirror = mirrorParts(input);
  const keys = sshKeys(input, source);
  const common = commonValues(input, source);
  return {
    ...common,
    preseed_loaded_quoted: shellQuote(preseedLoadedLine(common.hostname)),
    serial_device: serialDevice(common.console),
    mirror_protocol: mirror.protocol,
    mirror_host: mirror.host,
    mirror_directory: mirror.dir,
    release: input.image.type === 'debian' ? oneLine(input.image.release, 'release', source) : 'stable',
    apt_services: mirror.services,
    os_files_fetch: osFilesFetch(osFilesUrl(input.baseUrl)),
    os_units: OS_UNITS.join(' '),
    device_json_quoted: shellQuote(deviceJson(input, source)),
    installed_body_quoted: shellQuote(JSON.stringify({ state: 'installed', message: `debian-installer finished on ${common.hostname}` })),
    // Shell words for `printf '%s\n' …` in late_command (an empty file when there are no keys).
    ssh_keys_quoted: keys.length > 0 ? keys.map(shellQuote).join(' ') : "''",
  };
}

/** The device data as one line (a newline would end the late_command). */
function deviceJson(input: InstallerRenderInput, source: string): string {
  if (input.deviceJson === undefined) throw new RenderError(`${source}: no device data to write to /etc/metalboot/device.json`);
  return oneLine(input.deviceJson, 'device data', source);
}

export function renderPreseed(input: InstallerRenderInput): string {
  return fillTemplate(input.template, preseedValues(input), `preseed template for device "${input.device.name}"`);
}
