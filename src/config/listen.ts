/** Listen addresses: `HOST:PORT`, `[v6]:PORT` or `:PORT` (the caller's default host). Pure. */

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses a listen address; undefined when it is not one. An empty host takes `defaultHost`. */
export function parseListenAddress(text: string, defaultHost: string): ListenAddress | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/i.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) return undefined;
  return { host: match[1] ?? (match[2] || defaultHost), port };
}

/** The http:// URL of a listen address (IPv6 hosts in brackets). */
export function listenUrl(address: ListenAddress): string {
  return `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
