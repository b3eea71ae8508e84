/**
 * Host-side probe of a URL as a QEMU guest would fetch it: `http://10.0.2.2:<port>/…` is the VM's
 * view of the metalboot server, reachable from the host only through the unix socket the VM's port
 * is forwarded to. Other URLs go through fetch. Answers carry the status only (enough for a check).
 */
import { request } from 'node:http';
import { isGuestHostUrl } from './guest-net.js';

export async function probeThroughSocket(url: string, init: RequestInit, socketPath: () => Promise<string>): Promise<Response> {
  const parsed = new URL(url);
  if (!isGuestHostUrl(parsed)) return fetch(url, init);
  const socket = await socketPath();
  const headers: Record<string, string> = { host: parsed.host };
  new Headers(init.headers).forEach((value, key) => (headers[key] = value));
  return new Promise<Response>((resolve, reject) => {
    const req = request({ socketPath: socket, path: `${parsed.pathname}${parsed.search}`, method: init.method ?? 'GET', headers }, (res) => {
      res.resume();
      resolve(new Response(null, { status: res.statusCode ?? 502 }));
    });
    req.on('error', reject);
    init.signal?.addEventListener('abort', () => req.destroy(init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted')), { once: true });
    req.end();
  });
}
