/**
 * GET/HEAD /os-files/<path>: the files an installed system gets from metalboot (src/installer/os-files.ts:
 * the RAM image's applier and reporter, shipped under rootfs/), fetched by the preseed's
 * late_command. A fixed list of public files: anything else is a 404.
 */
import { readFile } from 'node:fs/promises';
import { osFileSource } from '../../installer/os-files.js';
import { sendBody, sendError } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

const PREFIX = '/os-files/';

export const osFilesRoute: Route = { methods: ['GET', 'HEAD'], path: '/os-files/*', errors: 'text', handler: serveOsFile };

async function serveOsFile(call: RouteCall): Promise<void> {
  const query = call.target.indexOf('?');
  const path = (query < 0 ? call.target : call.target.slice(0, query)).slice(PREFIX.length);
  const source = osFileSource(path);
  if (!source) return sendError(call.res, 404, 'not found', call.route.errors);
  sendBody(call.res, 200, 'text/plain; charset=utf-8', await readFile(source), { 'Cache-Control': 'no-cache' });
}
