/**
 * How every route answers: whole bodies with an exact Content-Length, and one error format —
 * a sentence saying what is wrong, as `text/plain` for boot clients or `{"error": …}` for the API
 * (the route's `errors` decides, see route.ts).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { requestMeta } from './logging.js';
import type { ErrorFormat } from './route.js';

/** An error a handler throws to answer with a 4xx status and this message (anything else is a 500). */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;

  constructor(status: number, message: string, headers: OutgoingHttpHeaders = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

export function sendBody(res: ServerResponse, status: number, contentType: string, body: Buffer | string, headers?: OutgoingHttpHeaders): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  requestMeta(res).bytes = bytes.length;
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]!);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers?: OutgoingHttpHeaders): void {
  sendBody(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
}

/** The one error answer: `message` as a text line or as `{"error": message}`. */
export function sendError(res: ServerResponse, status: number, message: string, format: ErrorFormat, headers?: OutgoingHttpHeaders): void {
  if (format === 'json') sendJson(res, status, { error: message }, headers);
  else sendBody(res, status, 'text/plain; charset=utf-8', `${message}\n`, headers);
}
