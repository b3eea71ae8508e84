/**
 * What the QEMU provider remembers per device between commands, in `<stateDir>/qemu/<device>/`:
 * state.json (always_pxe, script URL, the VM's process group) next to the VM's console logs.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface QemuDeviceState {
  alwaysPxe: boolean;
  ipxeScriptUrl?: string;
  userdata?: string;
  /** Process group of the running VM, if one was started. */
  pgid?: number;
  firmware?: 'bios' | 'uefi';
  startedAt?: string;
}

export function deviceDir(stateDir: string, device: string): string {
  return join(stateDir, 'qemu', device);
}

export async function readDeviceState(stateDir: string, device: string): Promise<QemuDeviceState> {
  try {
    return JSON.parse(await readFile(join(deviceDir(stateDir, device), 'state.json'), 'utf8')) as QemuDeviceState;
  } catch {
    return { alwaysPxe: false };
  }
}

export async function writeDeviceState(stateDir: string, device: string, state: QemuDeviceState): Promise<void> {
  const dir = deviceDir(stateDir, device);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `state.json.${process.pid}`);
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, join(dir, 'state.json'));
}
