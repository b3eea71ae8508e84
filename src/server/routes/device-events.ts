/** GET /api/devices/<device|mac|uuid>/events?since=<id or ISO time>: a device's stored boot timeline (JSON array). */
import { findDevice } from '../../config/lookup.js';
import { sendJson } from '../respond.js';
import type { Route, RouteCall } from '../route.js';
import { queryValue } from '../route.js';

export const deviceEventsRoute: Route = { methods: ['GET', 'HEAD'], path: '/api/devices/:device/events', errors: 'json', auth: 'read', handler: deviceEvents };

function deviceEvents(call: RouteCall): void {
  const { ctx, res } = call;
  const key = call.params.device ?? '';
  const name = findDevice(ctx.config, key)?.name ?? key;
  sendJson(res, 200, ctx.events.list({ device: name, since: parseSince(queryValue(call, 'since')) }), { 'Cache-Control': 'no-store' });
}

/** An event id (digits) or an ISO time; empty or absent means from the start. */
export function parseSince(value: string | undefined): number | string | undefined {
  if (value === undefined || value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}
