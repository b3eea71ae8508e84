/**
 * GET /boot.ipxe: the shared chain script (one ipxe_script_url for a whole fleet), rendered once
 * per config and kept in the context until the config changes. The Debian installer, which loads
 * the DHCP boot file as a preseed, gets an empty one (installer-probe.ts).
 */
import { renderChainScript } from '../../ipxe/index.js';
import { answerInstallerProbe } from '../installer-probe.js';
import type { Route, RouteCall } from '../route.js';
import { sendScript } from './device-script.js';

export const chainScriptRoute: Route = { methods: ['GET', 'HEAD'], path: '/boot.ipxe', errors: 'text', handler: serveChainScript };

function serveChainScript(call: RouteCall): void {
  if (answerInstallerProbe(call)) return;
  const { ctx, res } = call;
  const config = ctx.config;
  if (ctx.chainScript?.config !== config) ctx.chainScript = { config, body: Buffer.from(renderChainScript(config.server.publicUrl)) };
  sendScript(res, ctx.chainScript.body);
}
