/**
 * How a QEMU guest sees the host: user networking maps 10.0.2.2 to the loopback of the VM's private
 * network namespace, where a relay forwards the port to the metalboot server's unix socket. The one
 * place that knows the address and which URLs a VM can reach. Pure.
 */
import { ProviderError } from '../errors.js';

/** The guest's address for the host (QEMU user networking). */
export const GUEST_HOST_IP = '10.0.2.2';

/** True for http://10.0.2.2[:port]/… (or `host` of a VM on its own L2 network) — the only URLs a VM can fetch. */
export function isGuestHostUrl(url: URL, host = GUEST_HOST_IP): boolean {
  return url.protocol === 'http:' && url.hostname === host;
}

/** Port of a script URL a VM can fetch (the server at `host`), or an error naming what is wrong with it. */
export function guestPortOf(scriptUrl: string, host = GUEST_HOST_IP): number {
  let url: URL;
  try {
    url = new URL(scriptUrl);
  } catch {
    throw new ProviderError(`ipxe_script_url "${scriptUrl}" is not a URL`);
  }
  if (!isGuestHostUrl(url, host)) {
    throw new ProviderError(`a QEMU-backed device cannot fetch ${scriptUrl}: only http://${host}:PORT/… is reachable from the VM`, {
      hint: `set server.public_url to http://${host}:<port> for simulated devices`,
    });
  }
  return url.port === '' ? 80 : Number(url.port);
}
