/** Whether this machine can run the QEMU boot tests, and the Debian netboot files they use. */
import { NETBOOT_ARM64_INITRD, NETBOOT_ARM64_KERNEL, NETBOOT_INITRD, NETBOOT_KERNEL } from '../../../src/host/debian-files.js';
import { missingPackages } from '../../../src/host/files.js';
import { packageProviding } from '../../../src/host/packages.js';
import { hostRequirements, missingRequirements } from '../../../src/vm/host-check.js';

export { NETBOOT_ARM64_INITRD, NETBOOT_ARM64_KERNEL, NETBOOT_INITRD, NETBOOT_KERNEL } from '../../../src/host/debian-files.js';

async function missingNetboot(files: readonly string[]): Promise<string | undefined> {
  const missing = await missingPackages(files.map((file) => packageProviding(file)!));
  return missing.length > 0 ? `missing ${files[0]} (${missing[0]!.name})` : undefined;
}

/** undefined when VM tests can run; otherwise the reason they are skipped (printed once). */
export async function vmSkipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (unshare -n and QEMU boots need root here)';
  const missing = await missingRequirements([
    ...hostRequirements({ firmware: 'bios' }),
    ...hostRequirements({ firmware: 'uefi' }),
  ]);
  if (missing.length > 0) return `missing ${missing.map((m) => `${m.file} (${m.debianPackage.name})`).join(', ')}`;
  return missingNetboot([NETBOOT_KERNEL, NETBOOT_INITRD]);
}

export async function skipUnlessVms(): Promise<boolean> {
  const reason = await vmSkipReason();
  if (reason) console.warn(`[skip] QEMU boot tests: ${reason}`);
  return reason !== undefined;
}

/** Like skipUnlessVms, and arm64 VMs too (qemu-system-arm, AAVMF, Debian 13's iPXE, the arm64 installer). */
export async function skipUnlessArm64Vms(): Promise<boolean> {
  let reason = await vmSkipReason();
  if (!reason) {
    const missing = await missingRequirements(hostRequirements({ arch: 'arm64', firmware: 'uefi' }));
    if (missing.length > 0) reason = `missing ${missing.map((m) => `${m.file} (${m.debianPackage.name})`).join(', ')}`;
  }
  reason ??= await missingNetboot([NETBOOT_ARM64_KERNEL, NETBOOT_ARM64_INITRD]);
  if (reason) console.warn(`[skip] arm64 QEMU boot tests: ${reason}`);
  return reason !== undefined;
}
