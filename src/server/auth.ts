/**
 * The bearer-token check of the upload API (METALBOOT_TOKEN), timing-safe. The router runs it for
 * routes marked `auth: 'upload'` before their handler; a refusal is a 401 whose message says what
 * is wrong, and the connection is closed (the body is not read).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServerContext } from './context.js';
import { HttpError } from './respond.js';

export function checkUploadToken(ctx: ServerContext, req: IncomingMessage): void {
  if (!ctx.uploadToken) throw deny('uploads are disabled: start the server with METALBOOT_TOKEN set');
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw deny('missing "Authorization: Bearer <token>" header (the value of METALBOOT_TOKEN)');
  if (!sameSecret(match[1]!, ctx.uploadToken)) throw deny('the bearer token is not the server\'s METALBOOT_TOKEN');
}

function deny(message: string): HttpError {
  return new HttpError(401, message, { 'WWW-Authenticate': 'Bearer realm="metalboot"', Connection: 'close' });
}

/** Compares digests, so neither the length nor the content leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
