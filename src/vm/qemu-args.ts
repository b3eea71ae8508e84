/**
 * The qemu-system-x86_64 argv for one network-booting VM. Pure: input in, argv out (golden-tested).
 *
 * The VM mirrors an Equinix Metal x86 server as seen by the boot chain: the NIC's iPXE ROM
 * (ipxe-qemu) does DHCP against QEMU user networking, whose boot file is the device's script URL;
 * two serial ports so the Linux console lands on ttyS1 like Metal's SOS console; SeaBIOS or OVMF.
 * Software emulation only (TCG): nested KVM hangs iPXE on the machines this runs on.
 */
import { UsageError } from '../errors.js';
import { normalizeMac, normalizeUuid } from '../config/mac.js';
import { OVMF_CODE } from '../host/debian-files.js';
import { tapNicArgs } from './l2.js';
import type { TapNic } from './l2.js';

export interface QemuArgsInput {
  firmware: 'bios' | 'uefi';
  /** DHCP boot file handed to the NIC's iPXE, e.g. `http://10.0.2.2:8080/ipxe/web-1`. */
  bootUrl: string;
  /**
   * QEMU user networking (no `taps`): the 0600 file holding its netdev (user-net.ts, written by
   * vm-files.ts), so the boot URL and its token stay out of argv.
   */
  userNetConfig?: string;
  ttyS0Log: string;
  ttyS1Log: string;
  memoryMb?: number;
  mac?: string;
  /** SMBIOS system UUID (what iPXE sees as `${uuid}`). */
  uuid?: string;
  /** UEFI only: firmware code (read-only) and this VM's own writable copy of the vars store. */
  ovmfCode?: string;
  ovmfVars?: string;
  /** Optional qcow2 disk (an installer's target). */
  disk?: string;
  /**
   * With a disk: which device the firmware tries first, the other being the fallback (bootindex
   * order), as a Metal server's firmware does: `disk` falls back to the network when the disk
   * has no boot loader (SeaBIOS: "not a bootable disk"; OVMF: no boot entry). Unset: network only.
   */
  bootFirst?: 'network' | 'disk';
  /**
   * A reboot from inside the guest ends QEMU (exit code 0) instead of resetting the VM, so whoever
   * runs it picks the next boot device from the device's state (always_pxe), as Metal does.
   */
  exitOnReboot?: boolean;
  /**
   * NICs on taps someone else set up (a bridge, a switch program, DHCP: src/vm/l2.ts) instead of
   * QEMU user networking: virtio-net at 10 Gb/s full duplex; the first NIC network-boots (its DHCP
   * server hands out the boot file, so `bootUrl` only names the server).
   */
  taps?: readonly TapNic[];
  /** QMP socket QEMU listens on (so the reason of a shutdown can be read: src/vm/qmp.ts). */
  qmpSocket?: string;
  /** QEMU user networking forwards 127.0.0.1:<port> of the VM's namespace to the guest's port 22. */
  sshHostPort?: number;
  cpus?: number;
  /**
   * BIOS only: a file holding the I/O port (little-endian, 0x3f8) SeaBIOS mirrors its text console
   * to, passed as fw_cfg `etc/sercon-port`. SeaBIOS and iPXE messages (e.g. "Exec format error")
   * then land in ttyS0.log, as OVMF's do under UEFI.
   */
  serconFile?: string;
}

export const QEMU_BINARY = 'qemu-system-x86_64';
export const DEFAULT_MEMORY_MB = 1024;
export const DEFAULT_CPUS = 1;

/** QEMU's option parser splits on `,`; a literal comma inside a value is written `,,`. */
export function qemuOptValue(value: string): string {
  return value.replaceAll(',', ',,');
}

export function qemuArgs(input: QemuArgsInput): string[] {
  validate(input);
  const memory = input.memoryMb ?? DEFAULT_MEMORY_MB;
  const cpus = input.cpus ?? DEFAULT_CPUS;
  const order = input.disk && input.bootFirst ? bootIndexes(input.bootFirst) : undefined;
  const nic = ['virtio-net-pci', 'netdev=n0', ...(input.mac ? [`mac=${normalizeMac(input.mac)}`] : []), ...(order ? [`bootindex=${order.nic}`] : [])].join(',');
  const args = [
    '-name', 'metalboot',
    // No default CD-ROM, floppy, VGA, monitor or serial: firmware tries only the NIC, and the
    // only serial ports are the two below.
    '-nodefaults',
    '-machine', 'pc',
    '-accel', 'tcg',
    '-m', String(memory),
    '-smp', String(cpus),
    '-display', 'none',
    ...(input.taps ? tapNicArgs(input.taps, order ? { firstBootIndex: order.nic } : {}) : ['-readconfig', input.userNetConfig!, '-device', nic]),
    // bootindex (below) and -boot order do not mix: with a boot order, the devices carry it.
    ...(order ? [] : ['-boot', 'n']),
    '-serial', `file:${input.ttyS0Log}`,
    '-serial', `file:${input.ttyS1Log}`,
  ];
  if (input.firmware === 'bios' && input.serconFile) args.push('-fw_cfg', `name=etc/sercon-port,file=${qemuOptValue(input.serconFile)}`);
  if (input.uuid) args.push('-smbios', `type=1,uuid=${normalizeUuid(input.uuid)}`);
  if (input.firmware === 'uefi') {
    args.push(
      '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${qemuOptValue(input.ovmfCode ?? OVMF_CODE)}`,
      '-drive', `if=pflash,format=raw,unit=1,file=${qemuOptValue(input.ovmfVars ?? '')}`,
    );
  }
  if (input.disk && order) {
    // discard=unmap: an installer's blkdiscard leaves the qcow2 reading zeros (and small).
    args.push('-drive', `if=none,id=d0,format=qcow2,discard=unmap,file=${qemuOptValue(input.disk)}`, '-device', `virtio-blk-pci,drive=d0,bootindex=${order.disk}`);
  } else if (input.disk) {
    args.push('-drive', `if=virtio,format=qcow2,file=${qemuOptValue(input.disk)}`);
  }
  if (input.exitOnReboot) args.push('-no-reboot');
  if (input.qmpSocket) args.push('-qmp', `unix:${qemuOptValue(input.qmpSocket)},server=on,wait=off`);
  return args;
}

/** The firmware's boot order as QEMU bootindex values: the first device, then the fallback. */
function bootIndexes(first: 'network' | 'disk'): { nic: number; disk: number } {
  return first === 'disk' ? { disk: 1, nic: 2 } : { nic: 1, disk: 2 };
}

function validate(input: QemuArgsInput): void {
  validateCommon(input);
  if (!input.taps && !input.userNetConfig) throw new UsageError('qemu: user networking needs userNetConfig, the 0600 file with its netdev (src/vm/user-net.ts)');
  if (input.firmware === 'uefi' && !input.ovmfVars) {
    throw new UsageError('qemu: UEFI needs ovmfVars, a writable per-VM copy of OVMF_VARS_4M.fd');
  }
  for (const [name, path] of [['ttyS0Log', input.ttyS0Log], ['ttyS1Log', input.ttyS1Log]] as const) {
    // `-serial file:` takes the rest of the argument verbatim, so only emptiness matters.
    if (!path) throw new UsageError(`qemu: ${name} must be a file path`);
  }
}

/** What every VM's argv checks, whatever its arch: boot URL, MAC, UUID, memory and CPUs. */
export function validateCommon(input: Pick<QemuArgsInput, 'bootUrl' | 'mac' | 'uuid' | 'memoryMb' | 'cpus' | 'sshHostPort'>): void {
  if (!/^(https?|tftp):\/\//.test(input.bootUrl)) {
    throw new UsageError(`qemu: boot URL "${input.bootUrl}" must start with http://, https:// or tftp://`);
  }
  if (/[\s"]/.test(input.bootUrl)) throw new UsageError(`qemu: boot URL "${input.bootUrl}" must not contain spaces or quotes`);
  if (input.mac !== undefined && !normalizeMac(input.mac)) {
    throw new UsageError(`qemu: "${input.mac}" is not a MAC address (expected six colon-separated hex pairs, e.g. 52:54:00:12:34:56)`);
  }
  if (input.uuid !== undefined && !normalizeUuid(input.uuid)) {
    throw new UsageError(`qemu: "${input.uuid}" is not an SMBIOS UUID (expected 8-4-4-4-12 hex digits)`);
  }
  if (input.memoryMb !== undefined && (!Number.isInteger(input.memoryMb) || input.memoryMb < 256)) {
    throw new UsageError(`qemu: memory ${input.memoryMb} MB is too small or not an integer (the Debian installer needs at least 512)`);
  }
  if (input.sshHostPort !== undefined && (!Number.isInteger(input.sshHostPort) || input.sshHostPort < 1 || input.sshHostPort > 65_535)) {
    throw new UsageError(`qemu: sshHostPort must be a TCP port (1-65535), got ${input.sshHostPort}`);
  }
  if (input.cpus !== undefined && (!Number.isInteger(input.cpus) || input.cpus < 1)) {
    throw new UsageError(`qemu: cpus must be a positive integer, got ${input.cpus}`);
  }
}
