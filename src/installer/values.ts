/** Values shared by the preseed and kickstart renderers, computed from InstallerRenderInput. Pure. */
import { RenderError } from '../errors.js';
import { kernelLine } from '../ipxe/kernel-line.js';
import { deviceUrls } from '../ipxe/urls.js';
import { grubTerminalLines } from './grub.js';
import { oneLine, shellQuote } from './template.js';
import type { InstallerRenderInput } from './types.js';
import { normalizeMac } from '../config/mac.js';

const BOND_WORD = /^[A-Za-z0-9.+_-]+$/;

export interface CommonValues {
  readonly hostname: string;
  readonly device: string;
  readonly events_url: string;
  readonly events_url_quoted: string;
  /** The console arguments of the device's kernel line (add-kernel-opts, bootloader --append). */
  readonly console: string;
  /** /etc/default/grub lines for that console: one per line, and as shell words. */
  readonly grub_lines: string;
  readonly grub_lines_quoted: string;
  readonly bond_macs: string;
  readonly bond_mode: string;
  readonly bond_lacp_rate: string;
  readonly bond_miimon: string;
  readonly bond_xmit_hash_policy: string;
}

export function commonValues(input: InstallerRenderInput, source: string): CommonValues {
  const { device, image, bondMacs } = input;
  if (bondMacs.length === 0) {
    throw new RenderError(`${source}: device "${device.name}" has no NIC MACs for bond0`, { hint: `list them in devices.${device.name}.macs` });
  }
  const macs = bondMacs.map((text) => {
    const mac = normalizeMac(text);
    if (!mac) throw new RenderError(`${source}: ${JSON.stringify(text)} is not a MAC address`);
    return mac;
  });
  const bond = device.bond;
  for (const [key, value] of [['mode', bond.mode], ['xmit_hash_policy', bond.xmitHashPolicy]] as const) {
    if (!BOND_WORD.test(value)) throw new RenderError(`${source}: devices.${device.name}.bond.${key} ${JSON.stringify(value)} is not a bonding option value`);
  }
  const variant = image.arches.map((arch) => input.manifest.variants[arch]).find((found) => found !== undefined);
  if (!variant) throw new RenderError(`${source}: image "${image.name}" has no built variant`, { hint: `run: metalboot build ${image.name}` });
  const console = kernelLine({ device, image, variant, baseUrl: input.baseUrl, token: input.token }).console;
  const grub = grubTerminalLines(console);
  const eventsUrl = deviceUrls(input.baseUrl, device.name, input.token).events;
  return {
    hostname: oneLine(device.hostname, 'hostname', source),
    device: device.name,
    events_url: eventsUrl,
    events_url_quoted: shellQuote(eventsUrl),
    console: oneLine(console.join(' '), 'console', source),
    grub_lines: grub.join('\n'),
    grub_lines_quoted: grub.map(shellQuote).join(' '),
    bond_macs: macs.join(' '),
    bond_mode: bond.mode,
    bond_lacp_rate: bond.lacpRate,
    bond_miimon: String(bond.miimon),
    bond_xmit_hash_policy: bond.xmitHashPolicy,
  };
}

export function sshKeys(input: InstallerRenderInput, source: string): string[] {
  return input.device.sshKeys.map((key, i) => oneLine(key.trim(), `ssh key #${i + 1}`, source));
}
