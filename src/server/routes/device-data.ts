/**
 * GET/HEAD /device-data/<device>.cpio?token=…: a RAM image's per-device data (contract C), the
 * small cpio the device's script loads as a second initrd after the image's own: host name, bond
 * slave MACs (the config's, else the provider's NICs), network settings, SSH keys and the report
 * URL with the boot's token. It carries that token, so it is authorized exactly like installer
 * answers (authorizeAnswer: anything else is the same 404). Same device, token and URL → same bytes.
 */
import { renderDeviceDataCpio } from '../../devicedata/cpio.js';
import { authorizeAnswer } from '../answer-auth.js';
import { sendBody, sendError } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

const SUFFIX = '.cpio';

export const deviceDataRoute: Route = { methods: ['GET', 'HEAD'], path: '/device-data/:file', errors: 'text', handler: serveDeviceData };

async function serveDeviceData(call: RouteCall): Promise<void> {
  const { ctx, req, res } = call;
  const file = call.params.file ?? '';
  const name = file.endsWith(SUFFIX) ? file.slice(0, -SUFFIX.length) : undefined;
  const answer = name === undefined ? undefined : authorizeAnswer(call, name);
  if (!answer) return sendError(res, 404, 'not found', call.route.errors);
  const { device, token } = answer;
  const body = await renderDeviceDataCpio({ device, token, baseUrl: ctx.config.server.publicUrl, bondMacs: await ctx.portMacs(device) });
  sendBody(res, 200, 'application/octet-stream', body, { 'Cache-Control': 'no-store' });
  if (req.method === 'GET') ctx.events.record({ device: device.name, kind: 'device-data', path: `/device-data/${file}`, bytes: body.length, client: ctx.clientOf(req) });
}
