/**
 * Backs the Redfish simulator's systems with QEMU VMs (as sim/bridge/vm-bridge.ts does for the
 * Metal simulator): a boot from the network (`Pxe`, or `UefiHttp` with its URI) (re)starts the
 * system's VM, network-booting with the system's MAC and SMBIOS UUID, so iPXE's `/boot.ipxe`
 * finds the device by either; a boot from the disk (`Hdd`: a `Once` override is used up) and a
 * power-off stop it (these VMs have no disk). Every start and stop is recorded.
 *
 * The VM reaches the metalboot server at 10.0.2.2:<port of bootUrl>, forwarded to its unix socket.
 */
import { join } from 'node:path';
import type { Firmware } from '../../config/types.js';
import { guestPortOf } from '../../vm/guest-net.js';
import type { RunningVm } from '../../vm/vm.js';
import { startVm } from '../../vm/vm.js';
import type { BootInfo, RedfishSimHooks, SimSystem } from './world.js';

export interface RedfishVmBackingOptions {
  /** Unix socket of the metalboot server the VMs boot from. */
  readonly serverSocket: string;
  /** What the NIC's iPXE is handed as its DHCP boot file for a `Pxe` boot, e.g. http://10.0.2.2:8080/boot.ipxe. */
  readonly bootUrl: string;
  /** Each system's VM gets `<workRoot>/<system id>/` (console logs). */
  readonly workRoot: string;
  readonly firmware: Firmware;
  readonly memoryMb?: number;
  readonly timeoutMs?: number;
  readonly onVm?: (system: Readonly<SimSystem>, vm: RunningVm) => void;
}

export interface VmBackingEvent {
  readonly system: string;
  readonly action: 'start' | 'stop';
  readonly why: string;
  readonly at: number;
}

export interface RedfishVmBacking {
  readonly hooks: RedfishSimHooks;
  readonly events: readonly VmBackingEvent[];
  vm(systemId: string): RunningVm | undefined;
  stopAll(): Promise<void>;
}

export function createRedfishVmBacking(options: RedfishVmBackingOptions): RedfishVmBacking {
  const vms = new Map<string, RunningVm>();
  const events: VmBackingEvent[] = [];
  const stop = async (system: Readonly<SimSystem>, why: string): Promise<void> => {
    const vm = vms.get(system.id);
    if (!vm) return;
    vms.delete(system.id);
    events.push({ system: system.id, action: 'stop', why, at: Date.now() });
    await vm.stop();
  };

  async function onReset(system: Readonly<SimSystem>, boot: BootInfo): Promise<void> {
    await stop(system, `boots from ${boot.target}`);
    const bootUrl = boot.target === 'UefiHttp' && boot.uri ? boot.uri : boot.target === 'Pxe' ? options.bootUrl : undefined;
    if (!bootUrl) return; // the disk (or anything else): nothing to emulate
    const mac = system.macs[0];
    const vm = await startVm({
      firmware: options.firmware,
      bootUrl,
      uuid: system.uuid,
      ...(mac ? { mac } : {}),
      workDir: join(options.workRoot, system.id),
      forwards: [{ guestPort: guestPortOf(bootUrl), socketPath: options.serverSocket }],
      ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    vms.set(system.id, vm);
    events.push({ system: system.id, action: 'start', why: `boots from ${boot.target}`, at: Date.now() });
    options.onVm?.(system, vm);
  }

  return {
    hooks: { onReset, onPowerOff: (system) => stop(system, 'powered off') },
    events,
    vm: (id) => vms.get(id),
    async stopAll() {
      await Promise.all([...vms.values()].map((vm) => vm.stop()));
      vms.clear();
    },
  };
}
