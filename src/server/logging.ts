/**
 * One pino line per request: id, method, URL (secrets redacted, see redactUrl), the route that
 * answered (its pattern in the route table), status, body bytes actually handed to the connection,
 * duration, the client address captured when the request arrived, and `aborted` when the response
 * closed before it was complete. Headers are never logged (Authorization stays out).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import type { Logger } from 'pino';
import { parseQuery } from '../util/query.js';

/** Query parameter names whose values are secrets, compared after decoding (`tok%65n` is `token`). */
const SECRET_NAME = /^(?:token|access_token|key|secret|signature|password)$/i;
const REDACTED = '[redacted]';

/**
 * The request target as logged: the path as sent, then the query re-encoded from THE parse
 * (util/query.ts) with the value of every secret-named parameter, and every value in `secrets`
 * (tokens a route checked), replaced: `/preseed/a.cfg?tok%65n=…` → `?token=[redacted]`.
 */
export function redactUrl(url: string, secrets: ReadonlySet<string> = new Set()): string {
  const start = url.indexOf('?');
  let path = start < 0 ? url : url.slice(0, start);
  for (const secret of secrets) if (secret.length >= 8) path = path.split(secret).join(REDACTED);
  if (start < 0) return path;
  const pairs = parseQuery(url).map(([name, value]) => {
    const hidden = SECRET_NAME.test(name) || secrets.has(value);
    return `${encodeURIComponent(name)}=${hidden ? REDACTED : encodeURIComponent(value)}`;
  });
  return `${path}?${pairs.join('&')}`;
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
  /** Body bytes the handler means to send (the log records what was actually handed over). */
  bytes?: number;
  /** The route-table pattern that answered (absent for 404/405/400 answered by the router). */
  route?: string;
  /** Token values seen in this request (noteSecret): redacted wherever the URL is logged. */
  readonly secrets?: Set<string>;
}

const metas = new WeakMap<ServerResponse, RequestMeta>();

/** The id and byte count of a request being answered (set by startRequestLog). */
export function requestMeta(res: ServerResponse): RequestMeta {
  let meta = metas.get(res);
  if (!meta) metas.set(res, (meta = { id: '-' }));
  return meta;
}

/** Marks a value of this request as a secret: the logged URL never shows it. */
export function noteSecret(res: ServerResponse, value: string): void {
  const meta = requestMeta(res) as { secrets?: Set<string> };
  (meta.secrets ??= new Set()).add(value);
}

/** Gives the request an id (X-Request-Id) and logs one line when the response closes. Works on raw node requests. */
export function startRequestLog(logger: Logger, req: IncomingMessage, res: ServerResponse, trustForwarded = false): void {
  if (metas.has(res)) return;
  const meta: RequestMeta = { id: `${prefix}-${(++counter).toString(36)}` };
  metas.set(res, meta);
  res.setHeader('X-Request-Id', meta.id);
  const started = process.hrtime.bigint();
  const client = clientAddress(req, trustForwarded);
  const sent = countBody(res);
  res.once('close', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const aborted = !res.writableFinished;
    logger.info(
      {
        id: meta.id,
        method: req.method,
        url: redactUrl(req.url ?? '', meta.secrets),
        route: meta.route,
        status: res.statusCode,
        bytes: sent(aborted),
        ms: Math.round(ms * 10) / 10,
        client,
        aborted: aborted ? true : undefined,
      },
      'request',
    );
  });
}

type Write = ServerResponse['write'];
type End = ServerResponse['end'];

/**
 * Counts the body bytes given to `res`. The returned function says how many reached the
 * connection: all of them for a finished response; for an aborted one, those the socket took
 * (its written bytes since this request began, less the header), never more than were given.
 */
function countBody(res: ServerResponse): (aborted: boolean) => number {
  let given = 0;
  const socket = res.socket;
  const before = socket?.bytesWritten ?? 0;
  const count = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string') given += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) given += chunk.byteLength;
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    count(args[0], args[1]);
    return write(...args);
  }) as Write;
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') count(args[0], args[1]);
    return end(...args);
  }) as End;
  return (aborted) => {
    if (!aborted || !socket) return given;
    const header = (res as unknown as { _header?: unknown })._header;
    const headerBytes = typeof header === 'string' ? Buffer.byteLength(header, 'latin1') : 0;
    const onWire = (socket.bytesWritten ?? before) - before - headerBytes - socket.writableLength;
    return Math.max(0, Math.min(given, onWire));
  };
}

const addresses = new WeakMap<IncomingMessage, string>();

/**
 * The client address of a request: the TCP peer ('unix' for unix-socket peers), or, when the server
 * sits behind a trusted proxy or tunnel (`serve --tunnel`), the first X-Forwarded-For entry. Read
 * once, when the request arrives (a closed socket no longer knows its peer), then remembered.
 */
export function clientAddress(req: IncomingMessage, trustForwarded = false): string {
  const known = addresses.get(req);
  if (known !== undefined) return known;
  const address = peerOf(req, trustForwarded);
  addresses.set(req, address);
  return address;
}

function peerOf(req: IncomingMessage, trustForwarded: boolean): string {
  if (trustForwarded) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  const address = req.socket.remoteAddress;
  if (!address) return 'unix';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
