/**
 * What `boot-test <image|device>` boots (pure): the config as a VM sees it (public URL on
 * 10.0.2.2), the device to boot (a configured one, or a synthesized `boot-test` device for a bare
 * image), and the kernel arguments its console must show.
 */
import type { Arch, Config, DeviceConfig } from '../config/types.js';
import { DEFAULT_BOND } from '../config/types.js';
import { findDevice } from '../config/lookup.js';
import { UsageError } from '../errors.js';
import type { ImageManifest } from '../image/manifest.js';
import { kernelLine, serialConsole } from '../ipxe/kernel-line.js';
import { GUEST_HOST_IP } from '../vm/guest-net.js';
import type { VmSerial } from '../vm/machine.js';
import { VM_MACHINES } from '../vm/machine.js';

export interface BootTarget {
  readonly config: Config;
  readonly device: DeviceConfig;
  readonly imageName: string;
  /** The device was made up for an image given by name. */
  readonly synthesized: boolean;
}

export const BOOT_TEST_MAC = '52:54:00:b0:07:01';

export function bootTarget(config: Config, key: string, guestPort: number): BootTarget {
  const publicUrl = `http://${GUEST_HOST_IP}:${guestPort}`;
  const server = { ...config.server, publicUrl };
  const configured = findDevice(config, key);
  if (configured) return { config: { ...config, server }, device: configured, imageName: configured.image, synthesized: false };
  const image = config.images[key];
  if (!image) {
    throw new UsageError(`"${key}" is neither an image nor a device in ${config.file}`, {
      hint: `images: ${Object.keys(config.images).join(', ') || '(none)'}; devices: ${Object.keys(config.devices).join(', ') || '(none)'}`,
    });
  }
  let name = 'boot-test';
  for (let i = 1; config.devices[name]; i++) name = `boot-test-${i}`;
  const device: DeviceConfig = {
    name, hostname: name, image: key, macs: [BOOT_TEST_MAC], kernelArgs: [], bond: DEFAULT_BOND, alwaysPxe: 'auto', sshKeys: [],
  };
  return { config: { ...config, server, devices: { ...config.devices, [name]: device } }, device, imageName: key, synthesized: true };
}

export interface BootExpectations {
  /**
   * Arguments the `Kernel command line:` must hold, in order: the device's whole kernel line
   * (src/ipxe/kernel-line.ts) as the server renders it for the VM, per-device URLs and token
   * included. Arguments the kernel prints in a form a token match cannot find (a quoted value
   * holding a space, non-ASCII) are left out.
   */
  readonly kernelArgs: string[];
  /**
   * Where the kernel's messages land (vm/machine.ts): on x86_64 the line's serial console (ttyS0
   * or, when it names neither of the VM's ports, ttyS1); on arm64 the one UART, ttyAMA0.
   */
  readonly console: VmSerial;
}

/** `token`: the boot token the VM's script carries (the device is armed for the test, src/boots/). */
export function bootExpectations(target: BootTarget, manifest: ImageManifest, token: string | undefined, arch: Arch): BootExpectations {
  const image = target.config.images[target.imageName];
  const variant = manifest.variants[arch];
  const machine = VM_MACHINES[arch];
  if (!image || !variant) return { kernelArgs: [], console: machine.console };
  const line = kernelLine({
    device: target.device, image, variant, baseUrl: target.config.server.publicUrl, token,
  });
  const unit = serialConsole(line.console)?.unit;
  return {
    kernelArgs: line.args.map(({ arg }) => arg).filter((arg) => /^[\x21-\x7e]+$/.test(arg) && !arg.includes('"')),
    console: arch === 'x86_64' && unit === 0 ? 'ttyS0' : machine.console,
  };
}
