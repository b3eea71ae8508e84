/**
 * Backs the Metal simulator's devices with QEMU VMs: when a simulated device boots into custom
 * iPXE (a reinstall, a first boot, or any boot with always_pxe), its VM is (re)started with the
 * device's `ipxe_script_url` as the DHCP boot file, so `metalboot reimage --provider metal` runs
 * through the real Metal code path and a real boot on one machine.
 *
 * The script URL must point at 10.0.2.2 (where a VM sees the host); its port is forwarded to the
 * unix socket the metalboot server listens on.
 *
 * Without `diskGb`, a VM has no disk: a boot that would use the local disk stops the VM. With it,
 * each device has a qcow2 disk that outlives its VM runs, and boots as Metal's firmware would
 * (src/vm/boot-from.ts): the network when always_pxe is on or after a reinstall, else the disk,
 * falling back to the network when the disk has no boot loader. A reboot from inside the guest
 * ends QEMU (-no-reboot) and the bridge starts it again with the boot device the device's
 * always_pxe says *now* (read through `current`), so an install's final reboot lands on its disk.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BootReason, SimDevice, SimHooks } from '../metal/index.js';
import type { Firmware } from '../../config/types.js';
import type { RunningVm } from '../../vm/vm.js';
import { startVm } from '../../vm/vm.js';
import { bootFirst } from '../../vm/boot-from.js';
import type { BootFirst } from '../../vm/boot-from.js';
import { guestPortOf } from '../../vm/guest-net.js';
import type { TapNic } from '../../vm/l2.js';
import { ensureDisk } from '../../vm/disk.js';

/** Why a VM (re)started: a simulator boot, or the guest rebooting itself. */
export type VmBootReason = BootReason | 'guest-reboot';

export interface SimBridgeOptions {
  /** Unix socket of the metalboot server the VMs boot from. */
  readonly serverSocket: string;
  /** Each device's VM gets `<workRoot>/<hostname>/` (console logs, disk.qcow2, ssh.sock). */
  readonly workRoot: string;
  readonly firmware: Firmware | ((device: Readonly<SimDevice>) => Firmware);
  readonly memoryMb?: number;
  /** Hard limit per VM run. */
  readonly timeoutMs?: number;
  /** Give every device a qcow2 disk of this size and boot it like Metal (see above). */
  readonly diskGb?: number;
  /** The device as the simulator holds it now (for always_pxe at a guest reboot); default: as it was at the last boot. */
  readonly current?: (deviceId: string) => Readonly<SimDevice> | undefined;
  /**
   * Instead of QEMU user networking (one NIC, the boot file from QEMU's DHCP): the device's NICs
   * on taps, a network `launch` builds in the VM's namespace (bridge, switch, DHCP handing out the
   * script URL) before it execs QEMU; the server is reached at `serverHost` (the bridge's address)
   * on the script URL's port. No SSH socket: the guest's SSH is at its DHCP address in there.
   */
  readonly network?: {
    readonly serverHost: string;
    readonly taps: (device: Readonly<SimDevice>) => readonly TapNic[];
    readonly launch: (device: Readonly<SimDevice>, workDir: string, qemu: { file: string; args: readonly string[] }) => Promise<{ file: string; args: readonly string[] }>;
  };
  /** Called after a device's VM started (e.g. to follow its console). */
  readonly onVm?: (device: Readonly<SimDevice>, vm: RunningVm, boot: { reason: VmBootReason; ipxeScriptUrl: string; bootFirst: BootFirst }) => void;
}

export interface SimBridge {
  readonly hooks: SimHooks;
  /** The device's current VM (by Metal id). */
  vm(deviceId: string): RunningVm | undefined;
  stopAll(): Promise<void>;
}

export function createSimBridge(options: SimBridgeOptions): SimBridge {
  const vms = new Map<string, RunningVm>();

  async function onBoot(device: Readonly<SimDevice>, boot: { reason: VmBootReason; ipxeScriptUrl?: string }): Promise<void> {
    await vms.get(device.id)?.stop();
    vms.delete(device.id);
    const first = bootFirst({ alwaysPxe: device.alwaysPxe, afterReimage: boot.reason === 'reinstall' || boot.reason === 'create' });
    if (boot.ipxeScriptUrl === undefined) return; // no custom iPXE: nothing this bridge can boot
    if (first === 'disk' && options.diskGb === undefined) return; // would boot a disk it does not have
    const network = options.network;
    const guestPort = guestPortOf(boot.ipxeScriptUrl, network?.serverHost);
    const firmware = typeof options.firmware === 'function' ? options.firmware(device) : options.firmware;
    const mac = device.macs[0];
    const workDir = join(options.workRoot, device.hostname);
    const disk = options.diskGb === undefined ? undefined : await ensureDisk(join(workDir, 'disk.qcow2'), options.diskGb);
    const vm = await startVm({
      firmware,
      bootUrl: boot.ipxeScriptUrl,
      workDir,
      // On taps the server's address is the namespace's bridge: the relay listens on every address there.
      forwards: [{ guestPort, socketPath: options.serverSocket, ...(network ? { host: '0.0.0.0' } : {}) }],
      ...(network
        ? { taps: network.taps(device), launch: (qemu: { file: string; args: readonly string[] }) => network.launch(device, workDir, qemu) }
        : { sshSocket: join(workDir, 'ssh.sock') }),
      ...(mac ? { mac } : {}),
      ...(disk ? { disk, bootFirst: first, exitOnReboot: true } : {}),
      ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    vms.set(device.id, vm);
    if (disk) {
      const script = boot.ipxeScriptUrl;
      void vm.rebooted.then((rebooted) => {
        if (vms.get(device.id) !== vm || !rebooted) return; // stopped by the simulator, powered off or crashed
        const now = options.current?.(device.id) ?? device;
        onBoot(now, { reason: 'guest-reboot', ipxeScriptUrl: now.ipxeScriptUrl ?? script }).catch((error: unknown) =>
          appendFile(join(workDir, 'qemu.log'), `metalboot: restarting the VM after the guest's reboot failed: ${error instanceof Error ? error.message : String(error)}\n`).catch(() => {}));
      });
    }
    options.onVm?.(device, vm, { reason: boot.reason, ipxeScriptUrl: boot.ipxeScriptUrl, bootFirst: first });
  }

  return {
    hooks: { onBoot },
    vm: (id) => vms.get(id),
    async stopAll() {
      const running = [...vms.values()];
      vms.clear();
      await Promise.all(running.map((vm) => vm.stop()));
    },
  };
}
