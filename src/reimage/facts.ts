/**
 * The one line `reimage --wait` prints for a "booted" event's facts: host name, kernel, the bond
 * (mode, LACP rate, partner, slaves) and addresses. The facts come from the device: every value
 * is bounded and stripped of control characters before it is shown. Pure.
 */
import type { BootFacts } from '../events/types.js';
import { stripControl } from '../util/control.js';

const MAX_VALUE = 120;
const MAX_LINE = 600;

function text(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const clean = stripControl(String(value)).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_VALUE ? `${clean.slice(0, MAX_VALUE)}…` : clean;
}

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function describeFacts(facts: BootFacts): string {
  const parts: string[] = [];
  const add = (label: string, value: unknown): void => {
    const shown = text(value);
    if (shown) parts.push(`${label} ${shown}`);
  };
  add('host', facts.hostname);
  add('kernel', facts.kernel);
  add('cmdline', facts.cmdline);
  const bond = record(facts.bond);
  if (bond) {
    const slaves = Array.isArray(bond.slaves) ? bond.slaves.map((s) => text(record(s)?.mac)).filter(Boolean) : [];
    add('bond0', [bond.mode, bond.lacp_rate, bond.miimon === undefined ? undefined : `miimon ${String(bond.miimon)}`, bond.xmit_hash_policy].map(text).filter(Boolean).join(' '));
    add('partner', bond.partner_mac);
    if (slaves.length > 0) add('slaves', slaves.join(' '));
  }
  if (Array.isArray(facts.addresses)) {
    const addresses = facts.addresses.map((a) => record(a)).filter((a) => a?.family === 'inet').map((a) => text(`${String(a?.ifname)} ${String(a?.address)}`));
    if (addresses.length > 0) add('addresses', addresses.slice(0, 4).join(', '));
  }
  const line = parts.join('; ');
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}
