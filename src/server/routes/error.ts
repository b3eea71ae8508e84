/**
 * The one error rule, for every route: an HttpError is answered with its status and message; any
 * other error is a 500 whose answer says only "see the server log", and the log line (level error)
 * carries the request id, the route and the message. A failure after the headers went out cuts the
 * connection (the client sees a short body, never a wrong one); a request whose client already went
 * away gets no answer (its request line says `aborted`).
 */
import { requestMeta } from '../logging.js';
import { HttpError, sendError } from '../respond.js';
import type { RouteCall } from '../route.js';

export function answerFailure({ ctx, req, res, route }: RouteCall, error: unknown): void {
  if (req.socket.destroyed && !res.headersSent) return;
  const status = error instanceof HttpError ? error.status : 500;
  if (status >= 500) ctx.logger.error({ id: requestMeta(res).id, route: route.path, err: (error as Error)?.message ?? String(error) }, 'request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) sendError(res, status, error.message, route.errors, error.headers);
  else sendError(res, 500, 'internal error (see the server log)', route.errors);
}
