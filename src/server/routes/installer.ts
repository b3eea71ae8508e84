/**
 * GET /preseed/<device>.cfg?token=… and GET /kickstart/<device>.ks?token=…: per-device installer
 * answers (hostname, bond slave MACs, SSH keys, phone-home URL). They carry secrets, so the URL must
 * hold the device's own token (HMAC of its name under the server secret); anything else is a 404,
 * so one device cannot read another's, nor learn which devices exist.
 */
import { readFile } from 'node:fs/promises';
import { buildDeviceData } from '../../devicedata/index.js';
import type { InstallerRenderInput } from '../../installer/types.js';
import { templatePath } from '../../installer/template-path.js';
import type { InstallerKind } from '../../installer/template-path.js';
import { authorizeAnswer } from '../answer-auth.js';
import { sendBody, sendError } from '../respond.js';
import type { Route, RouteCall } from '../route.js';


const SUFFIX: Record<InstallerKind, string> = { preseed: '.cfg', kickstart: '.ks' };

export const preseedRoute: Route = { methods: ['GET', 'HEAD'], path: '/preseed/:file', errors: 'text', handler: (call) => serveInstaller(call, 'preseed') };
export const kickstartRoute: Route = { methods: ['GET', 'HEAD'], path: '/kickstart/:file', errors: 'text', handler: (call) => serveInstaller(call, 'kickstart') };

async function serveInstaller(call: RouteCall, kind: InstallerKind): Promise<void> {
  const { ctx, req, res } = call;
  const file = call.params.file ?? '';
  const name = file.endsWith(SUFFIX[kind]) ? file.slice(0, -SUFFIX[kind].length) : undefined;
  const config = ctx.config;
  const answer = name === undefined ? undefined : authorizeAnswer(call, name);
  if (!answer) return sendError(res, 404, 'not found', call.route.errors);
  const { device, token } = answer;
  const image = config.images[device.image]!;
  const template = await readFile(templatePath(image, kind), 'utf8');
  const bondMacs = await ctx.portMacs(device);
  const baseUrl = config.server.publicUrl;
  const input: InstallerRenderInput = {
    device,
    image,
    manifest: await ctx.manifests.get(ctx.stateDir, device.image),
    baseUrl,
    token,
    bondMacs,
    // what the installed system applies on every boot: the RAM image's device data (contract C)
    deviceJson: JSON.stringify(buildDeviceData({ device: { ...device, macs: bondMacs }, token, baseUrl })),
    template,
  };
  const body = Buffer.from(await renderInstaller(kind, input));
  sendBody(res, 200, 'text/plain; charset=utf-8', body, { 'Cache-Control': 'no-store' });
  ctx.events.record({ device: device.name, kind, path: `/${kind}/${file}`, bytes: body.length, client: ctx.clientOf(req) });
}

/** The renderers are loaded on first use (they are pure modules of src/installer/). */
async function renderInstaller(kind: InstallerKind, input: InstallerRenderInput): Promise<string> {
  if (kind === 'preseed') return (await import('../../installer/preseed.js')).renderPreseed(input);
  return (await import('../../installer/kickstart.js')).renderKickstart(input);
}
