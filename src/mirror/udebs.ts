/**
 * Which installer components (udebs) the mirror carries for one installer initrd. Pure.
 *
 * anna (the installer's component loader) fetches every udeb of priority standard or higher that
 * the initrd does not already hold, and hw-detect/netcfg/partman ask for kernel-module udebs on
 * demand, depending on the hardware found. A fleet's hardware is not known at mirror time, so the
 * mirror carries every module udeb of the initrd's kernel ABI, plus the standard set, plus their
 * dependencies. udebs of other kernel ABIs are never usable by this initrd and are left out.
 */
import type { PackageEntry } from './packages.js';
import { indexByName } from './packages.js';

const LOADED_BY_DEFAULT = new Set(['required', 'important', 'standard']);

export interface UdebSelection {
  readonly udebs: readonly PackageEntry[];
  /** Dependencies nothing in the index satisfies (the installer would fail on them too). */
  readonly unresolved: readonly string[];
}

export function selectUdebs(index: readonly PackageEntry[], installed: readonly PackageEntry[], abi: string): UdebSelection {
  const usable = index.filter((entry) => entry.kernelVersion === undefined || entry.kernelVersion === abi);
  const byName = indexByName(usable);
  const providers = new Map<string, string>();
  for (const entry of usable) for (const name of entry.provides) if (!providers.has(name)) providers.set(name, entry.name);
  const present = new Set(installed.flatMap((entry) => [entry.name, ...entry.provides]));
  const chosen = new Map<string, PackageEntry>();
  const unresolved = new Set<string>();
  const satisfied = (name: string): boolean => present.has(name) || chosen.has(name) || [...chosen.values()].some((e) => e.provides.includes(name));
  const queue = usable.filter((entry) => !present.has(entry.name) && (LOADED_BY_DEFAULT.has(entry.priority) || entry.kernelVersion === abi));
  while (queue.length > 0) {
    const entry = queue.shift()!;
    if (chosen.has(entry.name)) continue;
    chosen.set(entry.name, entry);
    for (const group of entry.depends) {
      if (group.some(satisfied)) continue;
      const pick = group.map((name) => byName.get(name) ?? byName.get(providers.get(name) ?? '')).find((found) => found !== undefined);
      if (pick) queue.push(pick);
      else unresolved.add(group.join(' | '));
    }
  }
  return { udebs: [...chosen.values()].sort((a, b) => a.filename.localeCompare(b.filename)), unresolved: [...unresolved].sort() };
}
