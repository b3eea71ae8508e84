/**
 * GET /ipxe/<device|mac|uuid>[?token=…]: a device's own iPXE script, rendered from the current config
 * and the image manifest, carrying the token of its armed boot (answer-auth.ts: authorizeScript).
 * Unknown devices and unarmed installer devices get the same 404; an unarmed RAM image its script
 * without answer URLs. The rendered bytes are cached per device until config, manifest or token change.
 * The Debian installer, which loads the DHCP boot file as a preseed, gets an empty one (installer-probe.ts).
 * Once the armed boot has reported `installed`, the device gets a script that boots its local disk
 * instead (ipxe/local-disk.ipxe): the installer's reboot lands on the disk even if always_pxe is still on.
 */
import type { ServerResponse } from 'node:http';
import { findDevice } from '../../config/lookup.js';
import { NotBuiltError } from '../../errors.js';
import { renderScriptFor } from '../../ipxe/for-device.js';
import { renderLocalDiskScript } from '../../ipxe/local-disk.js';
import { answerInstallerProbe } from '../installer-probe.js';
import { authorizeScript } from '../answer-auth.js';
import { requestMeta } from '../logging.js';
import { sendBody, sendError } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

export const deviceScriptRoute: Route = { methods: ['GET', 'HEAD'], path: '/ipxe/:key', errors: 'text', handler: serveDeviceScript };

async function serveDeviceScript(call: RouteCall): Promise<void> {
  if (answerInstallerProbe(call)) return;
  const { ctx, req, res } = call;
  const key = call.params.key ?? '';
  const config = ctx.config;
  const device = findDevice(config, key);
  const client = ctx.clientOf(req);
  const grant = device ? authorizeScript(call, device) : undefined;
  if (!device || !grant) {
    const why = device ? 'a device that is not armed asked for its script' : 'an unknown device asked for its script';
    ctx.logger.warn({ id: requestMeta(res).id, asked: key.slice(0, 128), device: device?.name, client }, why);
    return sendError(res, 404, 'not found', call.route.errors);
  }
  const { token } = grant;
  if (token !== undefined && ctx.boots.current(device.name)?.installedAt !== undefined) {
    const body = Buffer.from(renderLocalDiskScript(device.name));
    ctx.noteClient(client, device);
    sendScript(res, body);
    if (req.method === 'GET') ctx.events.record({ device: device.name, kind: 'script', path: `/ipxe/${key}`, bytes: body.length, client, message: 'installed: sent to its local disk' });
    return;
  }
  let manifest;
  try {
    manifest = await ctx.manifests.get(ctx.stateDir, device.image);
  } catch (error) {
    if (!(error instanceof NotBuiltError)) throw error;
    ctx.logger.error({ id: requestMeta(res).id, device: device.name, err: error.message }, 'image not built');
    return sendError(res, 503, `image ${device.image} of device ${device.name} has not been built`, call.route.errors);
  }
  const baseUrl = config.server.publicUrl;
  let cached = ctx.scripts.get(device.name);
  if (!cached || cached.config !== config || cached.manifest !== manifest || cached.baseUrl !== baseUrl || cached.token !== token) {
    const text = renderScriptFor(config, device, manifest, { baseUrl, token });
    cached = { config, manifest, baseUrl, token, body: Buffer.from(text) };
    ctx.scripts.set(device.name, cached);
  }
  ctx.noteClient(client, device);
  sendScript(res, cached.body);
  if (req.method === 'GET') ctx.events.record({ device: device.name, kind: 'script', path: `/ipxe/${key}`, bytes: cached.body.length, client });
}

const SCRIPT_HEADERS = { 'Cache-Control': 'no-store' } as const;

/** Scripts are never cached by clients: they change with the config. */
export function sendScript(res: ServerResponse, body: Buffer): void {
  sendBody(res, 200, 'text/plain; charset=utf-8', body, SCRIPT_HEADERS);
}
