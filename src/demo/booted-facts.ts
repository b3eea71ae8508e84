/** The lines the demo prints from a device's own "booted" report (pure): host, kernel (and its command line), bond0, addresses. */
import type { BootFacts } from '../events/types.js';

interface Slave { readonly name?: unknown; readonly mac?: unknown; readonly mii_status?: unknown }

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '?');

export function describeBooted(facts: BootFacts | undefined): string {
  if (!facts) return '  (the report carried no facts)';
  const lines = [`  host ${text(facts.hostname)}, kernel ${text(facts.kernel)}, up ${text(facts.uptime_seconds)} s when it reported`];
  if (facts.cmdline !== undefined) lines.push(`  cmdline ${text(facts.cmdline)}`);
  const bond = facts.bond as Record<string, unknown> | null | undefined;
  if (bond && typeof bond === 'object') {
    const slaves = Array.isArray(bond.slaves) ? (bond.slaves as Slave[]) : [];
    const settings = [...(bond.lacp_rate ? [`lacp_rate ${text(bond.lacp_rate)}`] : []), `miimon ${text(bond.miimon)}`, ...(bond.xmit_hash_policy ? [text(bond.xmit_hash_policy)] : [])];
    lines.push(`  bond0 ${text(bond.mode)} (${settings.join(', ')}): MII ${text(bond.mii_status)}; ` +
      `slaves ${slaves.map((s) => `${text(s.name)} ${text(s.mac)} ${text(s.mii_status)}`).join(', ') || 'none'}; LACP partner ${text(bond.partner_mac ?? 'none')}`);
  } else {
    lines.push('  no bond (the device has no MACs in the config)');
  }
  const addresses = Array.isArray(facts.addresses) ? (facts.addresses as Record<string, unknown>[]) : [];
  const inet = addresses.filter((a) => a.family === 'inet').map((a) => `${text(a.ifname)} ${text(a.address)}`);
  lines.push(`  addresses ${inet.join(', ') || 'none'}`);
  return lines.join('\n');
}
