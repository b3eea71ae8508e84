/** Bearer-token check for the upload API (METALBOOT_TOKEN), timing-safe; 401 bodies say what is wrong. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ServerContext } from './context.js';

export function requireUploadToken(ctx: ServerContext) {
  return function checkToken(req: Request, res: Response, next: NextFunction): void {
    const deny = (error: string): void => {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metalboot"');
      res.setHeader('Connection', 'close');
      res.status(401).json({ error });
    };
    if (!ctx.uploadToken) return deny('uploads are disabled: start the server with METALBOOT_TOKEN set');
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return deny('missing "Authorization: Bearer <token>" header (the value of METALBOOT_TOKEN)');
    if (!sameSecret(match[1]!, ctx.uploadToken)) return deny('the bearer token is not the server\'s METALBOOT_TOKEN');
    next();
  };
}

/** Compares digests, so neither the length nor the content leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
