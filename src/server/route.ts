/**
 * What a route is: the one handler signature every endpoint in server/routes/ implements, and the
 * entry the route table (route-table.ts) holds for it. The router (router.ts) matches a request to
 * one entry, then calls its handler with the request, the response and the matched parameters.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPMethod } from 'find-my-way';
import type { ServerContext } from './context.js';

/**
 * How a route's error answers are written (respond.ts): `text` for what boot clients fetch (iPXE,
 * the installers), `json` (`{"error": …}`) for the API that programs call.
 */
export type ErrorFormat = 'text' | 'json';

/** One matched request, as every handler receives it. */
export interface RouteCall {
  readonly ctx: ServerContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Path parameters, percent-decoded (`/ipxe/:key` → `params.key`). */
  readonly params: Readonly<Record<string, string | undefined>>;
  /**
   * Query parameters, names and values decoded by THE parse (util/query.ts); a parameter given twice
   * is an array (handlers accept single strings only).
   */
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  /** The request target in origin form, raw (not decoded): what `/assets/…` is matched against. */
  readonly target: string;
  readonly route: Route;
}

/** A handler answers the call; a thrown or rejected error goes to the one error rule (routes/error.ts). */
export type RouteHandler = (call: RouteCall) => void | Promise<void>;

export interface Route {
  readonly methods: readonly HTTPMethod[];
  /** find-my-way pattern: `/ipxe/:key`, `/assets/*`. */
  readonly path: string;
  readonly errors: ErrorFormat;
  /**
   * The operator API: the bearer token is checked (auth.ts) before the handler runs — `read`
   * takes METALBOOT_TOKEN or METALBOOT_READ_TOKEN, `write` only METALBOOT_TOKEN.
   */
  readonly auth?: 'read' | 'write';
  readonly handler: RouteHandler;
}

/** A query parameter given exactly once, else undefined. */
export function queryValue(call: RouteCall, name: string): string | undefined {
  const value = Object.hasOwn(call.query, name) ? call.query[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}
