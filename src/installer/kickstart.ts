/** The per-device AlmaLinux kickstart (served at /kickstart/<device>.ks). Pure: template + input → text. */
import { fillTemplate } from '../util/template.js';
import type { InstallerRenderInput } from './types.js';
import { commonValues, sshKeys } from './values.js';

export function kickstartValues(input: InstallerRenderInput): Record<string, string> {
  const source = `kickstart for device "${input.device.name}"`;
  const common = commonValues(input, source);
  const bond = input.device.bond;
  const keys = sshKeys(input, source);
  return {
    ...common,
    // Anaconda: comma-separated bonding options (a value holding a comma would need ';').
    bond_opts: `mode=${bond.mode},lacp_rate=${bond.lacpRate},miimon=${bond.miimon},xmit_hash_policy=${bond.xmitHashPolicy}`,
    sshkey_lines: keys.length > 0 ? keys.map((key) => `sshkey --username=root ${JSON.stringify(key)}`).join('\n') : '# (no SSH keys configured for this device)',
  };
}

export function renderKickstart(input: InstallerRenderInput): string {
  return fillTemplate(input.template, kickstartValues(input), `kickstart template for device "${input.device.name}"`);
}
