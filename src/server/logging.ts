/**
 * One pino line per request: id, method, path (query values of secret parameters redacted), the
 * route that answered (its pattern in the route table), status, bytes sent, duration, client.
 * Headers are never logged (Authorization stays out).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import type { Logger } from 'pino';

const SECRET_PARAMS = /([?&](?:token|access_token|key|secret|signature)=)[^&#]*/gi;

/** Replaces the values of token-like query parameters: `/preseed/a.cfg?token=…` → `?token=[redacted]`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

export function createLogger(options: { level?: string; destination?: string | number } = {}): Logger {
  return pino(
    { level: options.level ?? process.env.METALBOOT_LOG_LEVEL ?? 'info', base: undefined, redact: ['req.headers', 'headers.authorization'] },
    pino.destination({ dest: options.destination ?? 1, sync: false }),
  );
}

const prefix = randomBytes(3).toString('hex');
let counter = 0;

export interface RequestMeta {
  readonly id: string;
  /** Body bytes sent, when the handler knows them. */
  bytes?: number;
  /** The route-table pattern that answered (absent for 404/405/400 answered by the router). */
  route?: string;
}

const metas = new WeakMap<ServerResponse, RequestMeta>();

/** The id and byte count of a request being answered (set by startRequestLog). */
export function requestMeta(res: ServerResponse): RequestMeta {
  let meta = metas.get(res);
  if (!meta) metas.set(res, (meta = { id: '-' }));
  return meta;
}

/** Gives the request an id (X-Request-Id) and logs one line when the response closes. Works on raw node requests. */
export function startRequestLog(logger: Logger, req: IncomingMessage, res: ServerResponse, trustForwarded = false): void {
  if (metas.has(res)) return;
  const meta: RequestMeta = { id: `${prefix}-${(++counter).toString(36)}` };
  metas.set(res, meta);
  res.setHeader('X-Request-Id', meta.id);
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info(
      {
        id: meta.id,
        method: req.method,
        url: redactUrl(req.url ?? ''),
        route: meta.route,
        status: res.statusCode,
        bytes: meta.bytes,
        ms: Math.round(ms * 10) / 10,
        client: clientAddress(req, trustForwarded),
        aborted: res.writableFinished ? undefined : true,
      },
      'request',
    );
  });
}

/**
 * The client address of a request: the TCP peer ('unix' for unix-socket peers), or, when the server
 * sits behind a trusted proxy or tunnel (`serve --tunnel`), the first X-Forwarded-For entry.
 */
export function clientAddress(req: IncomingMessage, trustForwarded = false): string {
  if (trustForwarded) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  const address = req.socket.remoteAddress;
  if (!address) return 'unix';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
