/**
 * A VM's work directory and argv: one empty log per serial port (`<port>.log`) and `qemu.log`,
 * the per-VM firmware files (a copy of OVMF's or AAVMF's vars store; for SeaBIOS the file that
 * mirrors its console to ttyS0), then the argv for the VM's arch (qemu-args.ts, qemu-args-arm64.ts).
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch, Firmware } from '../config/types.js';
import { UsageError } from '../errors.js';
import { AAVMF_VARS, OVMF_VARS } from '../host/debian-files.js';
import type { VmSerial } from './machine.js';
import { VM_MACHINES, supportsFirmware } from './machine.js';
import { qemuArgs, validateCommon } from './qemu-args.js';
import type { QemuArgsInput } from './qemu-args.js';
import { qemuArgsArm64 } from './qemu-args-arm64.js';
import { USER_NET_CONFIG, userNetConfig } from './user-net.js';

export interface VmFilesInput extends Omit<QemuArgsInput, 'ttyS0Log' | 'ttyS1Log' | 'ovmfVars' | 'serconFile' | 'qmpSocket' | 'userNetConfig'> {
  /** Default x86_64. */
  arch?: Arch;
  /** arm64: AAVMF code other than the package's. */
  aavmfCode?: string;
  /** arm64: the iPXE EFI application the firmware runs (default Debian 13's ipxe-arm64.efi). */
  ipxeEfi?: string;
}

export interface VmFiles {
  readonly file: string;
  readonly args: string[];
  readonly serialLogs: Readonly<Partial<Record<VmSerial, string>>>;
  readonly qemuLog: string;
  readonly qmpSocket?: string;
}

export async function prepareVmFiles(input: VmFilesInput, workDir: string): Promise<VmFiles> {
  const arch = input.arch ?? 'x86_64';
  const machine = VM_MACHINES[arch];
  if (!supportsFirmware(arch, input.firmware)) {
    throw new UsageError(`an ${arch} VM cannot boot under ${input.firmware.toUpperCase()}: it has ${machine.firmwares.map((f) => f.toUpperCase()).join(' or ')} only`);
  }
  await mkdir(workDir, { recursive: true });
  const logs: Partial<Record<VmSerial, string>> = {};
  for (const port of machine.serials) logs[port] = join(workDir, `${port}.log`);
  const qemuLog = join(workDir, 'qemu.log');
  await Promise.all([...Object.values(logs), qemuLog].map((file) => writeFile(file, '')));
  const { arch: _arch, aavmfCode, ipxeEfi, ...rest } = input;
  const common = { ...rest, ...(input.taps ? {} : { userNetConfig: await writeUserNetConfig(input, workDir) }) };
  if (arch === 'arm64') {
    const aavmfVars = join(workDir, 'AAVMF_VARS.fd');
    await copyFile(AAVMF_VARS, aavmfVars);
    const { firmware: _uefi, ovmfCode: _ovmf, userNetConfig, ...arm } = common;
    const args = qemuArgsArm64({ ...arm, userNetConfig: userNetConfig ?? '', ttyAMA0Log: logs.ttyAMA0 ?? '', aavmfVars, ...(aavmfCode ? { aavmfCode } : {}), ...(ipxeEfi ? { ipxeEfi } : {}) });
    return { file: machine.qemuBinary, args, serialLogs: logs, qemuLog };
  }
  const firmwareFiles = await x86FirmwareFiles(input.firmware, workDir);
  // A VM whose reboot ends QEMU gets a QMP socket: only QMP tells a reboot from a power-off.
  const qmp = input.exitOnReboot ? { qmpSocket: join(workDir, 'qmp.sock') } : {};
  const args = qemuArgs({ ...common, ttyS0Log: logs.ttyS0 ?? '', ttyS1Log: logs.ttyS1 ?? '', ...firmwareFiles, ...qmp });
  return { file: machine.qemuBinary, args, serialLogs: logs, qemuLog, ...qmp };
}

/** The VM's user netdev (boot URL, SSH forward) in a 0600 file: never in argv, where `ps` shows it. */
async function writeUserNetConfig(input: VmFilesInput, workDir: string): Promise<string> {
  validateCommon(input); // refuses quotes and spaces in the URL before it is written anywhere
  const file = join(workDir, USER_NET_CONFIG);
  await rm(file, { force: true }); // a fresh file: mode 0600 from the start, whatever was there
  await writeFile(file, userNetConfig({ id: 'n0', bootUrl: input.bootUrl, ...(input.sshHostPort === undefined ? {} : { sshHostPort: input.sshHostPort }) }), { mode: 0o600, flag: 'wx' });
  return file;
}

async function x86FirmwareFiles(firmware: Firmware, workDir: string): Promise<{ serconFile?: string; ovmfVars?: string }> {
  if (firmware === 'bios') {
    const serconFile = join(workDir, 'sercon-port.bin');
    await writeFile(serconFile, Buffer.from([0xf8, 0x03])); // COM1 = ttyS0
    return { serconFile };
  }
  const ovmfVars = join(workDir, 'OVMF_VARS.fd');
  await copyFile(OVMF_VARS, ovmfVars);
  return { ovmfVars };
}
