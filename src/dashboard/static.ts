/**
 * The dashboard's two static files, shipped in the package's ui/ folder (next to ipxe/): the one
 * client script and the stylesheet. Read once, served from memory, never needing a session.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { sendBody } from '../server/respond.js';
import type { RouteCall } from '../server/route.js';
import { SECURITY_HEADERS } from './respond.js';

export const UI_DIR = join(PACKAGE_ROOT, 'ui');

const TYPES: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };
const loaded = new Map<string, Promise<Buffer>>();

export async function serveStatic(call: RouteCall): Promise<void> {
  const name = call.params.file ?? '';
  const type = Object.hasOwn(TYPES, name) ? TYPES[name] : undefined;
  if (!type) return sendBody(call.res, 404, 'text/plain; charset=utf-8', 'not found\n', SECURITY_HEADERS);
  let body = loaded.get(name);
  if (!body) loaded.set(name, (body = readFile(join(UI_DIR, name))));
  sendBody(call.res, 200, type, await body, { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache' });
}
