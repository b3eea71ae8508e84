/**
 * Issue 4's real boot: `metalboot serve` itself (startServer, listening on a unix socket that the VM
 * runner relays the guest's 10.0.2.2:8080 to) serves a QEMU BIOS boot of the Debian netboot kernel
 * and initrd. The VM asks for /boot.ipxe, chains to its own script by MAC, and fetches both assets;
 * the device's recorded events must read script → kernel → initrd, with the full byte counts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { startVm } from '../../src/vm/vm.js';
import { startServer } from '../../src/server/start.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, skipUnlessVms } from './helpers/vm-env.js';

const canBoot = !(await skipUnlessVms());

const GUEST_PORT = 8080;
const BASE = `http://10.0.2.2:${GUEST_PORT}`;
const MAC = '52:54:00:4d:42:01';
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!canBoot)('metalboot serve boots a real VM', () => {
  it('bios: the device events show script → kernel → initrd', async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-serve-boot-'));
    const stateDir = join(dir, 'state');
    const kernel = await addAssetFromFile(stateDir, NETBOOT_KERNEL, 'linux');
    const initrd = await addAssetFromFile(stateDir, NETBOOT_INITRD, 'initrd.gz');
    await writeManifest(stateDir, {
      schema: 1, name: 'deb', type: 'files', installer: true,
      variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['priority=critical', 'metalboot.device={{device}}'] } },
    });
    const config = parseConfig(
      `server:\n  public_url: ${BASE}\n  state_dir: ${stateDir}\n  cache_mb: 64\nimages:\n  deb: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }\ndevices:\n  vm-1:\n    image: deb\n    macs: ["${MAC}"]\n`,
      join(dir, 'metalboot.yaml'),
    );
    const socketPath = join(dir, 'serve.sock');
    const server = await startServer({ config, secret: 'e2e-secret', logger: pino({ level: 'silent' }), listen: false, socketPath });
    server.context.boots.arm('vm-1'); // as `metalboot arm vm-1`: the script reached by MAC carries a token bound to the VM's address
    const vm = await startVm({ firmware: 'bios', bootUrl: `${BASE}/boot.ipxe`, mac: MAC, workDir: join(dir, 'vm'), forwards: [{ guestPort: GUEST_PORT, socketPath }], timeoutMs: 400_000 });
    try {
      const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, 300_000);
      expect(cmdline[1]).toContain('metalboot.device=vm-1');
      const events = server.context.events.list({ device: 'vm-1' });
      const fetches = events.filter((e) => e.kind === 'script' || e.kind === 'kernel' || e.kind === 'initrd');
      expect(fetches.map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd']);
      expect(fetches[0]!.path).toBe(`/ipxe/${MAC.replaceAll(':', '-')}`); // chained from /boot.ipxe by ${mac:hexhyp}
      expect(fetches[1]!.bytes).toBe(kernel.size);
      expect(fetches[2]!.bytes).toBe(initrd.size);
      expect(server.context.events.list({ device: '(unknown)' })).toEqual([]);
    } finally {
      await vm.stop();
      await server.close(1000);
    }
  }, 420_000);
});
