/**
 * Who may do what: the operator token typed at login picks the role (METALBOOT_TOKEN → write,
 * METALBOOT_READ_TOKEN → read, compared timing-safe); every page needs a session; every POST
 * needs the session's CSRF token and, when the browser sends one, an Origin of this host.
 */
import type { IncomingMessage } from 'node:http';
import { readBody } from '../server/body.js';
import { operatorRole, sameSecret } from '../server/auth.js';
import type { ServerContext } from '../server/context.js';
import { HttpError } from '../server/respond.js';
import type { RouteCall } from '../server/route.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { redirect } from './respond.js';
import type { Role, Session, SessionStore } from './sessions.js';

const FORM_LIMIT = 4096;

/** The role a typed token grants, or undefined: the same rule as the API's bearer check. */
export function roleForToken(ctx: ServerContext, token: string): Role | undefined {
  return operatorRole(ctx, token);
}

export function sessionOf(call: RouteCall, sessions: SessionStore): Session | undefined {
  return sessions.get(readCookie(call.req, SESSION_COOKIE));
}

/** The session, or undefined after answering: a redirect to the login page. */
export function requireSession(call: RouteCall, sessions: SessionStore): Session | undefined {
  const session = sessionOf(call, sessions);
  if (!session) redirect(call.res, '/ui/login');
  return session;
}

/** A POST's form fields (urlencoded, at most 4 KiB). */
export async function readForm(call: RouteCall): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(call.req, call.res, FORM_LIMIT));
}

/** Throws 403 unless the request comes from a page of this dashboard. */
export function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new HttpError(403, 'the Origin header is not a URL');
  }
  if (host !== req.headers.host) throw new HttpError(403, 'this form was posted from another site');
}

/** Throws 403 unless the form (or X-CSRF-Token) carries the session's CSRF token. */
export function checkCsrf(req: IncomingMessage, session: Session, form: URLSearchParams): void {
  checkOrigin(req);
  const header = req.headers['x-csrf-token'];
  const given = form.get('csrf') ?? (typeof header === 'string' ? header : '');
  if (!sameSecret(given, session.csrf)) throw new HttpError(403, 'the form is stale or was not sent by this dashboard: reload the page and try again');
}
