/**
 * Request bodies, bounded: every route that reads a body reads it through `limitBody` (streamed,
 * e.g. asset uploads) or `readBody` (whole, as text), so the size limit, the 413 answer and what
 * happens to the connection afterwards are decided here once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './respond.js';

/** 413: the answer names the limit; the connection is closed after it (the rest of the body is not read). */
export class BodyTooLarge extends HttpError {
  constructor(limit: number) {
    super(413, `the body is larger than this endpoint's limit of ${limit} bytes`, { Connection: 'close' });
  }
}

/**
 * The body as it arrives, failing with BodyTooLarge when Content-Length says it is larger than
 * `limit`, or once the bytes received pass it (chunked bodies): then the rest is discarded and the
 * connection dropped as soon as the 413 is sent.
 */
export async function* limitBody(req: IncomingMessage, res: ServerResponse, limit: number): AsyncGenerator<Buffer> {
  checkBodyHeaders(req, limit);
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      res.once('finish', () => req.destroy());
      throw new BodyTooLarge(limit);
    }
    yield chunk;
  }
}

/**
 * Refuses, before reading anything, a body declared larger than `limit` (413) or compressed (415:
 * nothing here inflates bodies, so a small compressed body cannot expand past the limit).
 */
export function checkBodyHeaders(req: IncomingMessage, limit: number): void {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new HttpError(415, `Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not accepted: send the body uncompressed`, { Connection: 'close' });
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw new BodyTooLarge(limit);
}

/** The whole body as UTF-8 text, at most `limit` bytes. */
export async function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of limitBody(req, res, limit)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
