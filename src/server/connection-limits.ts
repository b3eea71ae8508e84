/**
 * Time and connection bounds of the listening sockets (issue 11, finding 9): a half-sent header
 * times out (Node turns headersTimeout off with requestTimeout 0, so both are set), idle keep-alive
 * connections close, a request must arrive whole within requestTimeout (uploads: see body.ts for
 * the stall timeout), and one address may hold at most `perAddress` connections at once, so a
 * single client cannot use up the process's file descriptors.
 */
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Time to receive a request's headers. */
  readonly headersMs: number;
  /** Time to receive a whole request, body included (the upper bound for an upload). */
  readonly requestMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveMs: number;
  /** Open connections one client address may hold; more are closed at accept. */
  readonly perAddress: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  headersMs: 30_000,
  requestMs: 60 * 60_000,
  keepAliveMs: 65_000,
  perAddress: 256,
};

export function serverOptions(limits: ConnectionLimits, highWaterMark: number): ServerOptions {
  return {
    headersTimeout: limits.headersMs,
    requestTimeout: Math.max(limits.requestMs, limits.headersMs),
    keepAliveTimeout: limits.keepAliveMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(limits.headersMs / 4))),
    highWaterMark,
  };
}

/** Closes connections beyond `perAddress` from one address as they are accepted (unix sockets: no address, no cap). */
export function capConnectionsPerAddress(server: Server, perAddress: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
