/**
 * The operator API's bearer-token check, timing-safe. The router runs `checkOperator` for routes
 * marked `auth: 'read'` (the boot events API) or `auth: 'write'` (uploads) before their handler:
 * METALBOOT_TOKEN may read and write, METALBOOT_READ_TOKEN may only read. A refusal is a 401 whose
 * message says what is wrong, and the connection is closed (a body is not read). With no token set
 * the API is closed: nothing is public by default.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServerContext } from './context.js';
import { HttpError } from './respond.js';

export type OperatorAccess = 'read' | 'write';

export function checkOperator(ctx: ServerContext, req: IncomingMessage, access: OperatorAccess): void {
  const accepted = access === 'write' ? [ctx.uploadToken] : [ctx.uploadToken, ctx.readToken];
  const tokens = accepted.filter((token): token is string => token !== undefined);
  if (tokens.length === 0) {
    throw deny(access === 'write'
      ? 'uploads are disabled: start the server with METALBOOT_TOKEN set'
      : 'the events API is disabled: start the server with METALBOOT_TOKEN (or METALBOOT_READ_TOKEN for read-only access) set');
  }
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  const names = access === 'write' ? 'METALBOOT_TOKEN' : 'METALBOOT_TOKEN or METALBOOT_READ_TOKEN';
  if (!match) throw deny(`missing "Authorization: Bearer <token>" header (the value of ${names})`);
  const role = operatorRole(ctx, match[1]!);
  if (role === undefined || (access === 'write' && role !== 'write')) {
    throw deny(role === 'read' ? 'the bearer token is METALBOOT_READ_TOKEN, which may only read; writing needs METALBOOT_TOKEN' : `the bearer token is not the server's ${names}`);
  }
}

/**
 * What an operator token grants: `write` (METALBOOT_TOKEN), `read` (METALBOOT_READ_TOKEN), or
 * nothing. The API's bearer check and the dashboard's login both ask this. Both comparisons always
 * run, so timing does not tell which one matched.
 */
export function operatorRole(ctx: ServerContext, token: string): OperatorAccess | undefined {
  const write = ctx.uploadToken !== undefined && sameSecret(token, ctx.uploadToken);
  const read = ctx.readToken !== undefined && sameSecret(token, ctx.readToken);
  return write ? 'write' : read ? 'read' : undefined;
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
