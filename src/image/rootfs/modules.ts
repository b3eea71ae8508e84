/**
 * Which kernel modules a rootfs image keeps: the wanted ones (names or paths under kernel/) and
 * everything they depend on, read from the kernel's own modules.dep. Pure; prune.ts applies it.
 */

/** modules.dep: `kernel/a/b.ko: kernel/c.ko kernel/d.ko` → Map(file → its dependencies). */
export function parseModulesDep(text: string): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    deps.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim().split(/\s+/).filter(Boolean));
  }
  return deps;
}

/** `kernel/drivers/net/virtio_net.ko.xz` → `virtio_net` (the kernel spells module names with `_`). */
export function moduleName(file: string): string {
  return (file.split('/').pop() ?? '').replace(/\.ko(\.(xz|zst|gz))?$/, '').replaceAll('-', '_');
}

export interface ModuleSelection {
  /** Module files (as in modules.dep) to keep. */
  readonly keep: Set<string>;
  /** Wanted entries that matched no module of this kernel (e.g. an arm64-only driver on x86_64). */
  readonly unmatched: string[];
}

function matches(file: string, wanted: string): boolean {
  if (!wanted.includes('/')) return moduleName(file) === wanted.replaceAll('-', '_');
  const prefix = `kernel/${wanted.replace(/^kernel\//, '').replace(/\/+$/, '')}`;
  return file === prefix || file.startsWith(`${prefix}/`);
}

export function selectModules(deps: ReadonlyMap<string, readonly string[]>, wanted: readonly string[]): ModuleSelection {
  const keep = new Set<string>();
  const unmatched: string[] = [];
  const queue: string[] = [];
  for (const entry of wanted) {
    const found = [...deps.keys()].filter((file) => matches(file, entry));
    if (found.length === 0) unmatched.push(entry);
    queue.push(...found);
  }
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (keep.has(file)) continue;
    keep.add(file);
    queue.push(...(deps.get(file) ?? []));
  }
  return { keep, unmatched };
}
