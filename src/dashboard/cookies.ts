/** The session cookie: parsing the Cookie header, and the Set-Cookie line with its attributes. */
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'metalboot_session';

/** The value of `name` in the request's Cookie header, if present once. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/ui (the
 * device and API routes never see it), Secure when the dashboard is reached over https.
 */
export function sessionCookie(value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/ui', 'HttpOnly', 'SameSite=Strict', `Max-Age=${options.maxAgeSeconds}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}

/** Reached over https: a TLS socket, or a trusted proxy (tunnel) saying so. */
export function isHttps(req: IncomingMessage, trustForwarded: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  const proto = req.headers['x-forwarded-proto'];
  return trustForwarded && typeof proto === 'string' && proto.split(',')[0]!.trim().toLowerCase() === 'https';
}
