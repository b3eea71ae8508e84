/**
 * POST /events/<device>?token=…: the installer's or the OS's phone-home, JSON {state, message} or the
 * same as a form, at most 16 KiB. Needs a token of the device's armed boot (answer-auth.ts); without
 * it the answer is the same 404 as for a device that does not exist. Control bytes are stripped from
 * the message and facts (util/control.ts) before they are stored. A `booted` report ends the boot:
 * its tokens stop working. An `installed` report marks it: the device's script then boots its disk.
 */
import { PHONE_HOME_STATES } from '../../events/types.js';
import type { BootFacts, PhoneHomeState } from '../../events/types.js';
import { stripControl, stripControlDeep } from '../../util/control.js';
import { authorizeAnswer } from '../answer-auth.js';
import { readBody } from '../body.js';
import { sendError, sendJson } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

export const PHONE_HOME_LIMIT = 16 * 1024;

export const phoneHomeRoute: Route = { methods: ['POST'], path: '/events/:device', errors: 'json', handler: phoneHome };

async function phoneHome(call: RouteCall): Promise<void> {
  const { ctx, req, res } = call;
  const answer = authorizeAnswer(call, call.params.device ?? '');
  if (!answer) return sendError(res, 404, 'not found', call.route.errors);
  const { device } = answer;
  const body = parseBody(await readBody(req, res, PHONE_HOME_LIMIT));
  if (!body || !PHONE_HOME_STATES.includes(body.state as PhoneHomeState)) {
    const expected = `body must be JSON {"state": ${PHONE_HOME_STATES.map((s) => `"${s}"`).join('|')}, "message": "…", "facts": {…}} (or state and message as a form)`;
    return sendError(res, 422, expected, call.route.errors);
  }
  const message = typeof body.message === 'string' ? stripControl(body.message.slice(0, 2000)) : undefined;
  const facts = factsOf(body.facts);
  if (facts === null) return sendError(res, 422, `"facts" must be a JSON object of at most ${FACTS_LIMIT} bytes`, call.route.errors);
  const event = ctx.events.recordNow({
    device: device.name, kind: 'phone-home', state: body.state as PhoneHomeState, message, client: ctx.clientOf(req),
    ...(facts ? { facts } : {}),
  });
  if (body.state === 'booted') ctx.boots.end(device.name);
  else if (body.state === 'installed') ctx.boots.markInstalled(device.name);
  sendJson(res, 201, { id: event.id });
}

export const FACTS_LIMIT = 8 * 1024;

/** undefined: none given; null: not an object or too large. */
function factsOf(value: unknown): BootFacts | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return JSON.stringify(value).length <= FACTS_LIMIT ? (stripControlDeep(value) as BootFacts) : null;
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
