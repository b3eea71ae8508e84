/**
 * Backs the Metal simulator's devices with QEMU VMs: when a simulated device boots into custom
 * iPXE (a reinstall, a first boot, or any boot with always_pxe), its VM is (re)started with the
 * device's `ipxe_script_url` as the DHCP boot file, so `metalboot reimage --provider metal` runs
 * through the real Metal code path and a real boot on one machine.
 *
 * The script URL must point at 10.0.2.2 (where a VM sees the host); its port is forwarded to the
 * unix socket the metalboot server listens on. A boot that would use the local disk stops the VM.
 */
import { join } from 'node:path';
import type { BootReason, SimDevice, SimHooks } from '../metal/index.js';
import type { Firmware } from '../../config/types.js';
import type { RunningVm } from '../../vm/vm.js';
import { startVm } from '../../vm/vm.js';
import { guestPortOf } from '../../vm/guest-net.js';

export interface SimBridgeOptions {
  /** Unix socket of the metalboot server the VMs boot from. */
  readonly serverSocket: string;
  /** Each device's VM gets `<workRoot>/<hostname>/` (console logs). */
  readonly workRoot: string;
  readonly firmware: Firmware | ((device: Readonly<SimDevice>) => Firmware);
  readonly memoryMb?: number;
  /** Hard limit per VM run. */
  readonly timeoutMs?: number;
  /** Called after a device's VM started (e.g. to follow its console). */
  readonly onVm?: (device: Readonly<SimDevice>, vm: RunningVm, boot: { reason: BootReason; ipxeScriptUrl: string }) => void;
}

export interface SimBridge {
  readonly hooks: SimHooks;
  /** The device's current VM (by Metal id). */
  vm(deviceId: string): RunningVm | undefined;
  stopAll(): Promise<void>;
}

export function createSimBridge(options: SimBridgeOptions): SimBridge {
  const vms = new Map<string, RunningVm>();

  async function onBoot(device: Readonly<SimDevice>, boot: { reason: BootReason; ipxeScriptUrl?: string }): Promise<void> {
    await vms.get(device.id)?.stop();
    vms.delete(device.id);
    const fromNetwork = boot.ipxeScriptUrl !== undefined && (boot.reason === 'reinstall' || boot.reason === 'create' || device.alwaysPxe);
    if (!fromNetwork || boot.ipxeScriptUrl === undefined) return; // would boot its disk: nothing to emulate
    const guestPort = guestPortOf(boot.ipxeScriptUrl);
    const firmware = typeof options.firmware === 'function' ? options.firmware(device) : options.firmware;
    const mac = device.macs[0];
    const vm = await startVm({
      firmware,
      bootUrl: boot.ipxeScriptUrl,
      workDir: join(options.workRoot, device.hostname),
      forwards: [{ guestPort, socketPath: options.serverSocket }],
      ...(mac ? { mac } : {}),
      ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    vms.set(device.id, vm);
    options.onVm?.(device, vm, { reason: boot.reason, ipxeScriptUrl: boot.ipxeScriptUrl });
  }

  return {
    hooks: { onBoot },
    vm: (id) => vms.get(id),
    async stopAll() {
      await Promise.all([...vms.values()].map((vm) => vm.stop()));
      vms.clear();
    },
  };
}
