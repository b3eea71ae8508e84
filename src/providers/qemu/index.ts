/**
 * The QEMU provider from the environment and the config (provider factory convention:
 * `createProvider(context)`). $METALBOOT_SERVER_SOCKET: the server's unix socket (`metalboot serve
 * --socket`); $METALBOOT_QEMU_FIRMWARE: bios|uefi for devices without `firmware:`;
 * $METALBOOT_QEMU_KEEP=1: leave VMs running when the command exits.
 */
import type { Config } from '../../config/types.js';
import { UsageError } from '../../errors.js';
import { QemuProvider } from './provider.js';

export { QemuProvider } from './provider.js';
export type { QemuProviderOptions } from './provider.js';

export function createProvider(context: { config?: Config; env?: NodeJS.ProcessEnv }): QemuProvider {
  const env = context.env ?? process.env;
  if (!context.config) {
    throw new UsageError('the qemu provider needs a metalboot.yaml: its devices are the VMs', { hint: 'pass --config FILE or create ./metalboot.yaml' });
  }
  const firmware = env.METALBOOT_QEMU_FIRMWARE;
  if (firmware !== undefined && firmware !== 'bios' && firmware !== 'uefi') {
    throw new UsageError(`METALBOOT_QEMU_FIRMWARE must be bios or uefi, got "${firmware}"`);
  }
  const keep = env.METALBOOT_QEMU_KEEP === '1';
  if (keep && !env.METALBOOT_SERVER_SOCKET) {
    // Without the server's own socket, VMs reach it through a bridge in this process, which ends
    // with the command: a kept VM would be left talking to nothing.
    throw new UsageError('METALBOOT_QEMU_KEEP=1 needs METALBOOT_SERVER_SOCKET, so kept VMs can still reach the server after this command ends', {
      hint: 'run metalboot serve --socket /run/metalboot.sock and set METALBOOT_SERVER_SOCKET=/run/metalboot.sock',
    });
  }
  const provider = new QemuProvider({
    config: context.config,
    ...(env.METALBOOT_SERVER_SOCKET ? { serverSocket: env.METALBOOT_SERVER_SOCKET } : {}),
    ...(firmware ? { firmware } : {}),
    ...(keep ? { keep: true } : {}),
  });
  return provider;
}
