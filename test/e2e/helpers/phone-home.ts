/** The TEST's stand-in for a finished install (never used by the demo): POSTs a phone-home to the metalboot server over its unix socket (what a finished installer sends). */
import { request } from 'node:http';
import { deviceToken } from '../../../src/config/device-token.js';

export function postPhoneHome(socketPath: string, secret: string, device: string, body: { state: string; message?: string }): Promise<number> {
  const path = `/events/${encodeURIComponent(device)}?token=${deviceToken(secret, device)}`;
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}
