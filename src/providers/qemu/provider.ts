/**
 * The QEMU provider: every device in metalboot.yaml is a local VM (x86_64, SeaBIOS or OVMF per
 * device or $METALBOOT_QEMU_FIRMWARE, console on ttyS1 logged to `<stateDir>/qemu/<device>/ttyS1.log`,
 * a qcow2 disk for installer images). reboot/reinstall/power_on (re)start the VM; power_off stops it.
 * VMs die with the command that started them unless `keep` is set ($METALBOOT_QEMU_KEEP=1).
 *
 * Boot device, as on Metal (src/vm/boot-from.ts): a VM without a disk (RAM images) boots from the
 * network. With a disk: the network when always_pxe is on or after a reinstall, else the disk,
 * falling back to the network when it has no boot loader. A reboot from inside the guest ends QEMU
 * (-no-reboot) and this process starts it again with the boot device always_pxe says now, so an
 * installer's final reboot lands on the disk once its phone-home turned always_pxe off. A kept VM
 * ($METALBOOT_QEMU_KEEP=1) outlives the process that would restart it: it resets in place instead,
 * keeping the order it started with.
 *
 * SSH: the guest's port 22 is reachable from the host at `<stateDir>/qemu/<device>/ssh.sock`
 * (`devices --json` shows it as `ssh: unix:<path>`; `metalboot ssh <device>` opens it).
 *
 * Network: the VM sees the metalboot server at 10.0.2.2:<port of server.public_url>, forwarded to a
 * unix socket: `serverSocket` ($METALBOOT_SERVER_SOCKET, e.g. from `metalboot serve --socket`), or
 * else a bridge in this process to the server's TCP listener (server.listen).
 */
import { appendFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import type { Config, DeviceConfig, Firmware } from '../../config/types.js';
import { findDevice } from '../../config/lookup.js';
import { normalizeMac } from '../../config/mac.js';
import { ProviderError } from '../../errors.js';
import { readManifest } from '../../image/store.js';
import { deviceUrls } from '../../ipxe/index.js';
import type { Provider, ProviderDevice, ReinstallOptions } from '../provider.js';
import { deviceDir, readDeviceState, writeDeviceState } from './device-state.js';
import { guestPortOf } from '../../vm/guest-net.js';
import { groupAlive, killGroup } from '../../vm/vm-registry.js';
import { startVm } from '../../vm/vm.js';
import { bootFirst } from '../../vm/boot-from.js';
import { ensureDisk } from '../../vm/disk.js';
import { probeThroughSocket } from '../../vm/probe.js';
import type { RunningVm } from '../../vm/vm.js';

export interface QemuProviderOptions {
  readonly config: Config;
  readonly serverSocket?: string;
  readonly firmware?: Firmware;
  readonly keep?: boolean;
  readonly memoryMb?: number;
  readonly diskGb?: number;
}

export class QemuProvider implements Provider {
  readonly name = 'qemu';
  private readonly vms = new Map<string, RunningVm>();
  private bridge: { socket: string; server: Server } | undefined;

  constructor(private readonly options: QemuProviderOptions) {}

  private get stateDir(): string {
    return this.options.config.server.stateDir;
  }

  private device(id: string): DeviceConfig {
    const device = findDevice(this.options.config, id);
    if (!device) throw new ProviderError(`no device "${id}" in ${this.options.config.file}`, { status: 404, hint: 'QEMU devices are the devices in the config' });
    return device;
  }

  async listDevices(filter: { hostname?: string; macAddress?: string; tag?: string } = {}): Promise<ProviderDevice[]> {
    const all = await Promise.all(Object.keys(this.options.config.devices).map((name) => this.getDevice(name)));
    return all.filter((d) => (!filter.hostname || d.hostname.includes(filter.hostname)) && (!filter.macAddress || d.macs.includes(normalizeMac(filter.macAddress) ?? '')));
  }

  /** A VM's provider id is its config name. */
  idFor(device: DeviceConfig): string {
    return device.name;
  }

  async getDevice(id: string): Promise<ProviderDevice> {
    const device = this.device(id);
    const state = await readDeviceState(this.stateDir, device.name);
    const running = this.vms.has(device.name) || groupAlive(state.pgid);
    return {
      id: device.name, hostname: device.hostname, operatingSystem: 'custom_ipxe', plan: `qemu-${state.firmware ?? this.firmwareOf(device)}`,
      state: running ? 'active' : 'inactive',
      alwaysPxe: state.alwaysPxe, macs: device.macs, ...(state.ipxeScriptUrl ? { ipxeScriptUrl: state.ipxeScriptUrl } : {}),
      ...(running ? { ssh: `unix:${sshSocketOf(this.stateDir, device.name)}` } : {}),
    };
  }

  async updateDevice(id: string, changes: { alwaysPxe?: boolean; ipxeScriptUrl?: string; userdata?: string }): Promise<ProviderDevice> {
    const device = this.device(id);
    const state = await readDeviceState(this.stateDir, device.name);
    await writeDeviceState(this.stateDir, device.name, { ...state, ...changes });
    return this.getDevice(device.name);
  }

  async reboot(id: string): Promise<void> {
    await this.boot(this.device(id), { afterReimage: false });
  }

  async reinstall(id: string, options: ReinstallOptions): Promise<void> {
    if (options.operatingSystem !== 'custom_ipxe') {
      throw new ProviderError(`QEMU devices boot custom iPXE only, not ${options.operatingSystem}`, { hint: 'leave --os out' });
    }
    if (options.ipxeScriptUrl) await this.updateDevice(id, { ipxeScriptUrl: options.ipxeScriptUrl });
    await this.boot(this.device(id), { afterReimage: true });
  }

  async powerOn(id: string): Promise<void> {
    await this.boot(this.device(id), { afterReimage: false });
  }

  async powerOff(id: string): Promise<void> {
    const device = this.device(id);
    await this.stopVm(device.name);
  }

  async consoleCommand(id: string): Promise<{ readonly file: string; readonly args: readonly string[] }> {
    const device = this.device(id);
    return { file: 'tail', args: ['-n', '+1', '-F', join(deviceDir(this.stateDir, device.name), 'ttyS1.log')] };
  }

  /** The running VM of a device started by this process. */
  vm(id: string): RunningVm | undefined {
    return this.vms.get(this.device(id).name);
  }

  /** Stops every VM this process started (unless keep) and the server bridge. */
  async close(): Promise<void> {
    if (!this.options.keep) await Promise.all([...this.vms.keys()].map((name) => this.stopVm(name)));
    this.bridge?.server.close();
    this.bridge = undefined;
  }

  private firmwareOf(device: DeviceConfig): Firmware {
    return device.firmware ?? this.options.firmware ?? 'bios';
  }

  private async stopVm(name: string): Promise<void> {
    const running = this.vms.get(name);
    this.vms.delete(name);
    if (running) await running.stop();
    const state = await readDeviceState(this.stateDir, name);
    if (state.pgid !== undefined && groupAlive(state.pgid)) killGroup(state.pgid, 'SIGKILL'); // a --keep VM of an earlier command
    const { pgid: _gone, ...rest } = state;
    await writeDeviceState(this.stateDir, name, rest);
  }

  private async boot(device: DeviceConfig, how: { afterReimage: boolean }): Promise<void> {
    await this.stopVm(device.name);
    const state = await readDeviceState(this.stateDir, device.name);
    const bootUrl = state.ipxeScriptUrl ?? deviceUrls(this.options.config.server.publicUrl, device.name, '').script;
    const guestPort = guestPortOf(bootUrl);
    const firmware = this.firmwareOf(device);
    const workDir = deviceDir(this.stateDir, device.name);
    const disk = await this.diskFor(device, workDir);
    const restarts = disk !== undefined && !this.options.keep;
    const vm = await startVm({
      firmware, bootUrl, workDir, forwards: [{ guestPort, socketPath: await this.serverSocket() }], sshSocket: sshSocketOf(this.stateDir, device.name),
      ...(device.macs[0] ? { mac: device.macs[0] } : {}), ...(device.uuid ? { uuid: device.uuid } : {}),
      ...(disk ? { disk, bootFirst: bootFirst({ alwaysPxe: state.alwaysPxe, afterReimage: how.afterReimage }) } : {}), ...(restarts ? { exitOnReboot: true } : {}),
      ...(this.options.memoryMb ? { memoryMb: this.options.memoryMb } : {}), ...(this.options.keep ? { keep: true } : {}),
      unref: true, // a command that is done exits, and takes its VMs with it (vm-registry)
    });
    this.vms.set(device.name, vm);
    void vm.rebooted.then((rebooted) => {
      if (this.vms.get(device.name) !== vm) return; // stopped by this process
      this.vms.delete(device.name);
      if (restarts && rebooted) {
        void this.boot(device, { afterReimage: false }).catch((error: unknown) =>
          appendFile(join(workDir, 'qemu.log'), `metalboot: restarting the VM after the guest's reboot failed: ${error instanceof Error ? error.message : String(error)}\n`).catch(() => {}));
      }
    });
    await writeDeviceState(this.stateDir, device.name, { ...state, firmware, startedAt: new Date().toISOString(), ...(vm.pid ? { pgid: vm.pid } : {}) });
  }

  private async diskFor(device: DeviceConfig, workDir: string): Promise<string | undefined> {
    const manifest = await readManifest(this.stateDir, device.image).catch(() => undefined);
    if (!manifest?.installer) return undefined;
    return ensureDisk(join(workDir, 'disk.qcow2'), this.options.diskGb ?? 8);
  }

  /** Checks the device's URLs the way its VM will reach them (10.0.2.2 → the server socket). */
  probeFetch(url: string, init: RequestInit): Promise<Response> {
    return probeThroughSocket(url, init, () => this.serverSocket());
  }

  /** The unix socket the VM's port is forwarded to: the server's own, or a bridge to its TCP listener. */
  private async serverSocket(): Promise<string> {
    if (this.options.serverSocket) return this.options.serverSocket;
    if (this.bridge) return this.bridge.socket;
    const { host, port } = this.options.config.server.listen;
    const socket = join(this.stateDir, 'qemu', `bridge-${process.pid}.sock`);
    const server = createServer((guest) => {
      const upstream = createConnection({ host, port });
      guest.pipe(upstream).pipe(guest);
      guest.on('error', () => upstream.destroy());
      upstream.on('error', () => guest.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, resolve);
    });
    server.unref();
    this.bridge = { socket, server };
    return socket;
  }
}

/** Where the host reaches a VM's SSH port (the relay in its namespace listens there). */
export function sshSocketOf(stateDir: string, device: string): string {
  return join(deviceDir(stateDir, device), 'ssh.sock');
}
