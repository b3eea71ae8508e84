/** Whether this machine can run the QEMU boot tests, and the Debian netboot files they use. */
import { existsSync } from 'node:fs';
import { missingRequirements, hostRequirements } from '../../../src/providers/qemu/host-check.js';

import { NETBOOT_AMD64_DIR, NETBOOT_INITRD, NETBOOT_KERNEL } from '../../../src/demo/netboot.js';

export { NETBOOT_INITRD, NETBOOT_KERNEL } from '../../../src/demo/netboot.js';

/** undefined when VM tests can run; otherwise the reason they are skipped (printed once). */
export async function vmSkipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (unshare -n and QEMU boots need root here)';
  const missing = await missingRequirements([
    ...hostRequirements({ firmware: 'bios' }),
    ...hostRequirements({ firmware: 'uefi' }),
  ]);
  if (missing.length > 0) return `missing ${missing.map((m) => `${m.file} (${m.debianPackage})`).join(', ')}`;
  if (!existsSync(NETBOOT_KERNEL) || !existsSync(NETBOOT_INITRD)) {
    return `missing ${NETBOOT_AMD64_DIR} (debian-installer-12-netboot-amd64)`;
  }
  return undefined;
}

export async function skipUnlessVms(): Promise<boolean> {
  const reason = await vmSkipReason();
  if (reason) console.warn(`[skip] QEMU boot tests: ${reason}`);
  return reason !== undefined;
}
