/** GET /healthz: `{"ok": true}` while the server answers. */
import { sendJson } from '../respond.js';
import type { Route } from '../route.js';

export const healthzRoute: Route = { methods: ['GET', 'HEAD'], path: '/healthz', errors: 'json', handler: ({ res }) => sendJson(res, 200, { ok: true }) };
