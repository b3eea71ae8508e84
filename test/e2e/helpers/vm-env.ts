/** Whether this machine can run the QEMU boot tests, and the Debian netboot files they use. */
import { NETBOOT_INITRD, NETBOOT_KERNEL } from '../../../src/host/debian-files.js';
import { missingPackages } from '../../../src/host/files.js';
import { packageProviding } from '../../../src/host/packages.js';
import { hostRequirements, missingRequirements } from '../../../src/vm/host-check.js';

export { NETBOOT_INITRD, NETBOOT_KERNEL } from '../../../src/host/debian-files.js';

/** undefined when VM tests can run; otherwise the reason they are skipped (printed once). */
export async function vmSkipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (unshare -n and QEMU boots need root here)';
  const missing = await missingRequirements([
    ...hostRequirements({ firmware: 'bios' }),
    ...hostRequirements({ firmware: 'uefi' }),
  ]);
  if (missing.length > 0) return `missing ${missing.map((m) => `${m.file} (${m.debianPackage.name})`).join(', ')}`;
  const netboot = await missingPackages([NETBOOT_KERNEL, NETBOOT_INITRD].map((file) => packageProviding(file)!));
  if (netboot.length > 0) return `missing ${NETBOOT_KERNEL} (${netboot[0]!.name})`;
  return undefined;
}

export async function skipUnlessVms(): Promise<boolean> {
  const reason = await vmSkipReason();
  if (reason) console.warn(`[skip] QEMU boot tests: ${reason}`);
  return reason !== undefined;
}
