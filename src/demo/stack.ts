/**
 * Everything a local end-to-end re-image needs, started in this process: the image (the Debian
 * installer from the local package, the RAM image or the image-based install), the metalboot
 * server and the Metal API simulator (each on a unix socket), and the bridge that boots a QEMU VM
 * whenever a simulated device boots. With the image-based install (`disk`) the device has a disk
 * and boots like a Metal server: the installer's reboot lands on the installed system.
 * Used by `metalboot demo` and test/e2e/reimage-metal.test.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { loadServerSecret } from '../config/secret.js';
import type { Config, Firmware } from '../config/types.js';
import { buildImage } from '../image/build.js';
import type { ImageManifest } from '../image/manifest.js';
import { createSimBridge } from '../sim/bridge/vm-bridge.js';
import type { SimBridge, SimBridgeOptions, VmBootReason } from '../sim/bridge/vm-bridge.js';
import type { RunningVm } from '../vm/vm.js';
import { createLogger, startServer } from '../server/index.js';
import type { RunningServer } from '../server/index.js';
import { createMetalSimulator } from '../sim/metal/index.js';
import type { MetalSimulator } from '../sim/metal/index.js';
import { demoConfigYaml, demoImageName, selfReporting } from './config-text.js';
import type { DemoImage } from './config-text.js';
import { NETBOOT_DIR } from '../host/debian-files.js';


export interface StackOptions {
  /** Scratch directory (short path: unix sockets live here). */
  readonly dir: string;
  /** Default `installer`. */
  readonly image?: DemoImage;
  /** The server's state dir (images, events); default `<dir>/state`. The RAM image's build cache lives there. */
  readonly stateDir?: string;
  readonly firmware: Firmware;
  readonly device?: string;
  readonly guestPort?: number;
  readonly apiPort?: number;
  readonly vmTimeoutMs?: number;
  /** The simulated device's OS before the re-image: `custom_ipxe` takes the reboot path, anything else reinstall. */
  readonly operatingSystem?: string;
  readonly onVm?: SimBridgeOptions['onVm'];
  /** Step lines of a long image build (default stderr). */
  readonly log?: (line: string) => void;
}

/** The image-based install's device disk (the installed system is grown to fill it). */
export const DEMO_DISK_GB = 4;

/** One run of a device's VM: a boot the simulator started, or the bridge restarting it after the guest rebooted. */
export interface VmRun {
  readonly vm: RunningVm;
  readonly reason: VmBootReason;
  /** Date.now() when it started. */
  readonly at: number;
}

export interface Stack {
  readonly config: Config;
  readonly configFile: string;
  readonly manifest: ImageManifest;
  readonly image: DemoImage;
  readonly secret: string;
  /** The server's METALBOOT_TOKEN (the events API that `reimage --wait` follows needs it). */
  readonly operatorToken: string;
  readonly device: string;
  readonly deviceId: string;
  readonly server: RunningServer;
  readonly serverSocket: string;
  /** The server's request log (pino JSON lines). */
  readonly serverLog: string;
  readonly guestPort: number;
  readonly sim: MetalSimulator;
  readonly apiSocket: string;
  readonly apiPort: number;
  readonly bridge: SimBridge;
  /** Every VM run of the demo's device, in order. */
  readonly runs: readonly VmRun[];
  close(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const device = options.device ?? 'web-1';
  const guestPort = options.guestPort ?? 8080;
  const apiPort = options.apiPort ?? 4000;
  const deviceId = randomUUID();
  const macs = ['52:54:00:6d:62:01', '52:54:00:6d:62:02'];
  const image = options.image ?? 'installer';
  const configFile = join(options.dir, 'metalboot.yaml');
  await writeFile(configFile, demoConfigYaml({
    stateDir: options.stateDir ?? join(options.dir, 'state'), guestPort, device, metalId: deviceId,
    // The VM behind the simulated device has one NIC (QEMU user networking, the first MAC): the
    // RAM image's bond0 gets that one slave. The installer's preseed takes both, as on Metal.
    macs: selfReporting(image) ? macs.slice(0, 1) : macs,
    netbootDir: NETBOOT_DIR, firmware: options.firmware, image,
  }));
  const config = await loadConfig(configFile);
  const { manifest } = await buildImage(config, demoImageName(image), options.log ? { log: options.log } : {});
  const secret = await loadServerSecret(config.server.stateDir);
  const operatorToken = randomBytes(24).toString('hex');
  const serverSocket = join(options.dir, 'server.sock');
  const serverLog = join(options.dir, 'server.log');
  const server = await startServer({
    config, secret, listen: false, socketPath: serverSocket, uploadToken: operatorToken,
    logger: createLogger({ level: 'info', destination: serverLog }),
  });
  const runs: VmRun[] = [];
  // Set once the simulator exists: the bridge reads always_pxe as it is *now* at a guest reboot.
  const created: { sim?: MetalSimulator } = {};
  const bridge = createSimBridge({
    serverSocket, workRoot: join(options.dir, 'vms'), firmware: options.firmware,
    ...(options.vmTimeoutMs ? { timeoutMs: options.vmTimeoutMs } : {}),
    ...(image === 'disk' ? { diskGb: DEMO_DISK_GB, current: (id: string) => created.sim?.device(id) } : {}),
    onVm: (device, vm, boot) => {
      if (device.id === deviceId) runs.push({ vm, reason: boot.reason, at: Date.now() });
      options.onVm?.(device, vm, boot);
    },
  });
  const sim = createMetalSimulator({
    devices: [{ id: deviceId, hostname: device, operatingSystem: options.operatingSystem ?? 'debian_12', macs }],
    hooks: bridge.hooks,
    timings: { rebootMs: 1_000, reinstallMs: 2_000, powerMs: 1_000, provisionMs: 2_000 },
  });
  created.sim = sim;
  const apiSocket = join(options.dir, 'metal-api.sock');
  const api: Server = createServer(sim.app);
  await new Promise<void>((resolve, reject) => {
    api.once('error', reject);
    api.listen(apiSocket, resolve);
  });
  return {
    config, configFile, manifest, image, secret, operatorToken, device, deviceId, server, serverSocket, serverLog, guestPort, sim, apiSocket, apiPort, bridge, runs,
    async close() {
      await bridge.stopAll();
      api.closeAllConnections();
      await new Promise<void>((resolve) => api.close(() => resolve()));
      await sim.close();
      await server.close(1_000);
    },
  };
}
