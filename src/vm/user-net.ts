/**
 * QEMU user networking of a VM as a `-readconfig` file (pure text out): the DHCP boot file the
 * NIC's iPXE gets is the device's script URL, which may carry its boot's token. In argv it would be
 * readable by every local user (`ps`, /proc/<pid>/cmdline); in a 0600 file next to the VM's logs it
 * is not. QEMU reads `key = "value"` verbatim, so the value must not hold a double quote or a line
 * break (validateCommon refuses spaces and quotes in the boot URL) and must fit its 1023 bytes.
 */
import { UsageError } from '../errors.js';

/** The file's name in a VM's work directory. */
export const USER_NET_CONFIG = 'netdev.cfg';

export interface UserNetInput {
  /** The netdev's id, which the NIC's `netdev=` names. */
  readonly id: string;
  readonly bootUrl: string;
  /** Forward 127.0.0.1:<port> of the VM's namespace to the guest's port 22. */
  readonly sshHostPort?: number;
}

const MAX_VALUE = 1000;

export function userNetConfig(input: UserNetInput): string {
  for (const value of [input.id, input.bootUrl]) {
    if (/["\r\n\\]/.test(value) || value.length > MAX_VALUE) throw new UsageError(`qemu: "${value.slice(0, 80)}" cannot go in a QEMU config value (no quotes, backslashes or line breaks; at most ${MAX_VALUE} bytes)`);
  }
  return [
    '# metalboot: this VM\'s QEMU user networking (qemu -readconfig). Mode 0600: the boot URL may carry a boot token.',
    `[netdev "${input.id}"]`,
    '  type = "user"',
    `  bootfile = "${input.bootUrl}"`,
    ...(input.sshHostPort === undefined ? [] : [`  hostfwd = "tcp:127.0.0.1:${input.sshHostPort}-:22"`]),
    '',
  ].join('\n');
}
