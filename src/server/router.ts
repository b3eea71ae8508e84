/**
 * The one request path: every request the server receives goes through `createRequestListener` —
 * one request-log line, one lookup in the route table (find-my-way, the router fastify uses), the
 * upload-token check for routes that need it, the route's handler, and the one error rule
 * (routes/error.ts). Matching follows express's defaults that clients already rely on: paths are
 * case-insensitive and a trailing slash is ignored; an absolute-form target (`GET http://host/x`)
 * is routed by its path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import type { HTTPMethod, HTTPVersion, Instance } from 'find-my-way';
import { parseQuery, queryRecord } from '../util/query.js';
import { checkOperator } from './auth.js';
import type { ServerContext } from './context.js';
import { noteSecret, requestMeta, startRequestLog } from './logging.js';
import type { Route, RouteCall } from './route.js';
import { answerFailure } from './routes/error.js';
import { answerBadUrl, answerMethodNotAllowed, answerNotFound } from './routes/not-found.js';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Path parameters longer than this do not match (so a route never sees one). */
const MAX_PARAM_LENGTH = 1024;
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

export function createRequestListener(ctx: ServerContext, routes: readonly Route[]): RequestListener {
  const router = buildRouter(routes);
  const methods = [...new Set(routes.flatMap((route) => route.methods))];
  return function handleRequest(req, res) {
    startRequestLog(ctx.logger, req, res, ctx.trustForwardedFor);
    const target = originForm(req.url ?? '/');
    const found = router.find(req.method as HTTPMethod, target);
    if (!found) return answerUnrouted(router, methods, target, res);
    const route = found.store as Route | null;
    if (!route) return answerBadUrl(res);
    requestMeta(res).route = route.path;
    const pairs = parseQuery(target);
    for (const [name, value] of pairs) if (name === 'token' && value !== '') noteSecret(res, value);
    const call: RouteCall = { ctx, req, res, params: found.params, query: queryRecord(pairs), target, route };
    try {
      if (route.auth) checkOperator(ctx, req, route.auth);
      const done = route.handler(call);
      if (done) done.catch((error: unknown) => answerFailure(call, error));
    } catch (error) {
      answerFailure(call, error);
    }
  };
}

function buildRouter(routes: readonly Route[]): Instance<HTTPVersion.V1> {
  const router = FindMyWay({
    caseSensitive: false,
    ignoreTrailingSlash: true,
    maxParamLength: MAX_PARAM_LENGTH,
    // a malformed %-escape: find() returns a match with no store, answered 400 (answerBadUrl)
    onBadUrl: () => undefined,
  });
  for (const route of routes) router.on(route.methods as HTTPMethod[], route.path, () => undefined, route);
  return router;
}

/** No route for this method: 405 naming the methods the path takes, or 404 when it takes none. */
function answerUnrouted(router: Instance<HTTPVersion.V1>, methods: readonly HTTPMethod[], target: string, res: ServerResponse): void {
  const routes = methods.map((method) => [method, router.find(method, target)?.store as Route | null | undefined] as const).filter(([, route]) => route);
  const [first] = routes;
  if (!first) return answerNotFound(res);
  answerMethodNotAllowed(res, routes.map(([method]) => method), first[1]!.errors);
}

/** An absolute-form target loses its scheme and authority, and nothing else (no decoding, no dot segments). */
function originForm(url: string): string {
  if (url.startsWith('/')) return url;
  const match = ABSOLUTE_FORM.exec(url);
  return match ? url.slice(match[0].length) || '/' : url;
}
