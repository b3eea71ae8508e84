/**
 * The TEST's stand-in for a finished install (never used by the demo): POSTs a phone-home to the
 * metalboot server over its unix socket (what a finished installer sends), with the boot token the
 * server put in the device's script: it fetches the script as the installer's iPXE did (the device
 * is armed by `reimage`; the token is bound to this socket's peer).
 */
import { request } from 'node:http';

export async function postPhoneHome(socketPath: string, device: string, body: { state: string; message?: string }): Promise<number> {
  const script = await call(socketPath, 'GET', `/ipxe/${encodeURIComponent(device)}`);
  const token = /[?&]token=([0-9a-f]+)/.exec(script.body)?.[1];
  if (token === undefined) return script.status === 200 ? 404 : script.status;
  return (await call(socketPath, 'POST', `/events/${encodeURIComponent(device)}?token=${token}`, JSON.stringify(body))).status;
}

function call(socketPath: string, method: string, path: string, data?: string): Promise<{ status: number; body: string }> {
  const headers = data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk.length + body.length > 1 << 20 ? '' : chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(data);
  });
}
