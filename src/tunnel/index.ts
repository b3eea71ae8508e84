/** Tunnel kinds by name (`serve --tunnel <kind>`). */
import { UsageError } from '../errors.js';
import { openNgrokTunnel } from './ngrok.js';
import type { TunnelOpener } from './types.js';

export type { Tunnel, TunnelOpener, TunnelTarget } from './types.js';

export const TUNNELS: Readonly<Record<string, TunnelOpener>> = { ngrok: openNgrokTunnel };

export function tunnelOpener(kind: string, tunnels: Readonly<Record<string, TunnelOpener>> = TUNNELS): TunnelOpener {
  const opener = Object.hasOwn(tunnels, kind) ? tunnels[kind] : undefined;
  if (!opener) throw new UsageError(`unknown tunnel ${JSON.stringify(kind)}; known: ${Object.keys(tunnels).join(', ')}`);
  return opener;
}
