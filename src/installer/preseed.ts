/** The per-device Debian preseed (served at /preseed/<device>.cfg). Pure: template + input → text. */
import { fillTemplate } from '../util/template.js';
import { shellQuote } from './template.js';
import type { InstallerRenderInput } from './types.js';
import { commonValues, sshKeys } from './values.js';
import { trimBase } from '../util/url.js';
import { serialConsole } from '../ipxe/kernel-line.js';

/** The line the per-device preseed's early_command writes on the serial console: proof (and news for an operator) that it loaded. */
export function preseedLoadedLine(hostname: string): string {
  return `metalboot: preseed for ${hostname} loaded`;
}

/** The serial port of the device's console (`console=ttyS1,…` → /dev/ttyS1), else /dev/console. */
function serialDevice(console: string): string {
  const port = serialConsole(console.split(' '));
  return port ? `/dev/ttyS${port.unit}` : '/dev/console';
}

/** The mirror answers: an http(s) mirror from the image, else deb.debian.org. */
function mirrorParts(mirror: string | undefined): { host: string; dir: string; protocol: string } {
  const url = mirror && /^https?:\/\//.test(mirror) ? new URL(mirror) : new URL('http://deb.debian.org/debian');
  return { host: url.host, dir: trimBase(url.pathname) || '/', protocol: url.protocol.replace(':', '') };
}

export function preseedValues(input: InstallerRenderInput): Record<string, string> {
  const source = `preseed for device "${input.device.name}"`;
  const mirror = mirrorParts(input.image.type === 'debian' ? input.image.mirror : undefined);
  const keys = sshKeys(input, source);
  const common = commonValues(input, source);
  return {
    ...common,
    preseed_loaded_quoted: shellQuote(preseedLoadedLine(common.hostname)),
    serial_device: serialDevice(common.console),
    mirror_protocol: mirror.protocol,
    mirror_host: mirror.host,
    mirror_directory: mirror.dir,
    // Shell words for `printf '%s\n' …` in late_command (an empty file when there are no keys).
    ssh_keys_quoted: keys.length > 0 ? keys.map(shellQuote).join(' ') : "''",
  };
}

export function renderPreseed(input: InstallerRenderInput): string {
  return fillTemplate(input.template, preseedValues(input), `preseed template for device "${input.device.name}"`);
}
