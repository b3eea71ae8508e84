/**
 * The Debian installer fetching the DHCP boot file as a preseed. d-i's network-preseed
 * (`/lib/preseed/preseed.sh` dhcp_preseed_url, Debian 12 netboot initrd) reads the `filename` of its
 * udhcpc lease and, when it contains `://`, loads it as a preseed *before* `preseed/url`. A DHCP
 * server that offers the HTTP script URL to every client (QEMU user networking; a dnsmasq without an
 * iPXE user-class rule) thus makes the installer fetch `/ipxe/<key>` or `/boot.ipxe`, and an iPXE
 * script is no preseed: the install stops at "Failed to process the preconfiguration file".
 *
 * The rule: the script routes answer a request whose User-Agent is d-i's own (`debian-installer`:
 * its fetch-url runs `wget -U debian-installer`) with an empty preseed — comments only, the same
 * for every key, known device or not — and everyone else (iPXE, curl, browsers) with the script.
 * debconf loads the empty file, and network-preseed goes on to `preseed/url` from the kernel line:
 * the per-device `/preseed/<device>.cfg?token=…`. The empty answer holds no secret and says nothing
 * about which devices exist, so a User-Agent anyone can send gains nothing.
 */
import type { IncomingMessage } from 'node:http';
import { requestMeta } from './logging.js';
import { sendBody } from './respond.js';
import type { RouteCall } from './route.js';

/** What d-i's fetch-url sends (usr/lib/fetch-url/http: `options="$options -U debian-installer"`). */
const DEBIAN_INSTALLER_AGENT = /^debian-installer(?:[\s/]|$)/;

export const EMPTY_PRESEED = [
  '# metalboot: this URL is the DHCP boot file, which the Debian installer also loads as a preseed.',
  '# It holds no answers: the per-device preseed follows from preseed/url on the kernel command line.',
  '',
].join('\n');

/** Whether the request comes from the Debian installer's fetch-url (not iPXE, not an operator's curl). */
export function isDebianInstaller(req: IncomingMessage): boolean {
  const agent = req.headers['user-agent'];
  return typeof agent === 'string' && DEBIAN_INSTALLER_AGENT.test(agent);
}

/** Answers d-i's fetch of a script URL with the empty preseed; false (nothing sent) for any other client. */
export function answerInstallerProbe(call: RouteCall): boolean {
  if (!isDebianInstaller(call.req)) return false;
  const { ctx, req, res } = call;
  ctx.logger.info({ id: requestMeta(res).id, client: ctx.clientOf(req) }, 'the Debian installer loaded the DHCP boot file as a preseed: sent the empty one');
  sendBody(res, 200, 'text/plain; charset=utf-8', EMPTY_PRESEED, { 'Cache-Control': 'no-store' });
  return true;
}
