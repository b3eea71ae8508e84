/** MAC and SMBIOS UUID spellings. Pure. */

const MAC_HEX = /^[0-9a-f]{12}$/;

/**
 * Accepts the common spellings — `b4:96:91:aa:bb:01`, `B4-96-91-AA-BB-01`, `b496.91aa.bb01`,
 * `b49691aabb01` — and returns lower-case with colons, or undefined when it is not a MAC.
 */
export function normalizeMac(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase();
  if (!/^[0-9a-f:.-]+$/.test(trimmed)) return undefined;
  const parts = trimmed.split(/[:.-]/);
  const sameSeparators = new Set(trimmed.replace(/[0-9a-f]/g, '')).size <= 1;
  if (!sameSeparators) return undefined;
  const groupOk =
    parts.length === 1 ||
    (parts.length === 6 && parts.every((p) => p.length === 2)) ||
    (parts.length === 3 && parts.every((p) => p.length === 4));
  const hex = parts.join('');
  if (!groupOk || !MAC_HEX.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Lower-cases a UUID (with or without braces), or undefined when it is not one. */
export function normalizeUuid(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase().replace(/^\{(.*)\}$/, '$1');
  return UUID.test(trimmed) ? trimmed : undefined;
}
