/**
 * POST /events/<device>?token=…: the installer's or the OS's phone-home, JSON {state, message} or the
 * same as a form, at most 16 KiB. Needs the device's own token; without it the answer is the same
 * 404 as for a device that does not exist.
 */
import type { PhoneHomeState } from '../../events/types.js';
import { authorizeAnswer } from '../answer-auth.js';
import { readBody } from '../body.js';
import { sendError, sendJson } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

const STATES: readonly PhoneHomeState[] = ['running', 'succeeded', 'failed'];
export const PHONE_HOME_LIMIT = 16 * 1024;

export const phoneHomeRoute: Route = { methods: ['POST'], path: '/events/:device', errors: 'json', handler: phoneHome };

async function phoneHome(call: RouteCall): Promise<void> {
  const { ctx, req, res } = call;
  const answer = authorizeAnswer(call, call.params.device ?? '');
  if (!answer) return sendError(res, 404, 'not found', call.route.errors);
  const { device } = answer;
  const body = parseBody(await readBody(req, res, PHONE_HOME_LIMIT));
  if (!body || !STATES.includes(body.state as PhoneHomeState)) {
    const expected = 'body must be JSON {"state": "running"|"succeeded"|"failed", "message": "…"} (or the same as a form)';
    return sendError(res, 422, expected, call.route.errors);
  }
  const message = typeof body.message === 'string' ? body.message.slice(0, 2000) : undefined;
  const event = ctx.events.recordNow({ device: device.name, kind: 'phone-home', state: body.state as PhoneHomeState, message, client: ctx.clientOf(req) });
  sendJson(res, 201, { id: event.id });
}

function parseBody(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(trimmed));
}
