/**
 * What the router answers when no route takes a request: 404 for a path no route knows, 405 (with
 * `Allow`) for a path whose routes take other methods, 400 for a path with a malformed %-escape.
 */
import type { ServerResponse } from 'node:http';
import { sendError } from '../respond.js';
import type { ErrorFormat } from '../route.js';

export function answerNotFound(res: ServerResponse): void {
  sendError(res, 404, 'not found', 'text');
}

export function answerMethodNotAllowed(res: ServerResponse, allowed: readonly string[], format: ErrorFormat): void {
  sendError(res, 405, `method not allowed: use ${allowed.join(' or ')}`, format, { Allow: allowed.join(', ') });
}

export function answerBadUrl(res: ServerResponse): void {
  sendError(res, 400, 'the request path has a malformed %-escape', 'text');
}
