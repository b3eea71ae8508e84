/**
 * How a QEMU guest sees the host: user networking maps 10.0.2.2 to the loopback of the VM's private
 * network namespace, where a relay forwards the port to the metalboot server's unix socket. The one
 * place that knows the address and which URLs a VM can reach. Pure.
 */
import { ProviderError } from '../errors.js';

/** The guest's address for the host (QEMU user networking). */
export const GUEST_HOST_IP = '10.0.2.2';

/** True for http://10.0.2.2[:port]/… — the only URLs a VM can fetch. */
export function isGuestHostUrl(url: URL): boolean {
  return url.protocol === 'http:' && url.hostname === GUEST_HOST_IP;
}

/** Port of a script URL a VM can fetch, or an error naming what is wrong with it. */
export function guestPortOf(scriptUrl: string): number {
  let url: URL;
  try {
    url = new URL(scriptUrl);
  } catch {
    throw new ProviderError(`ipxe_script_url "${scriptUrl}" is not a URL`);
  }
  if (!isGuestHostUrl(url)) {
    throw new ProviderError(`a QEMU-backed device cannot fetch ${scriptUrl}: only http://${GUEST_HOST_IP}:PORT/… is reachable from the VM`, {
      hint: `set server.public_url to http://${GUEST_HOST_IP}:<port> for simulated devices`,
    });
  }
  return url.port === '' ? 80 : Number(url.port);
}
