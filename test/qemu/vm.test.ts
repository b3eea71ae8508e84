/**
 * Real boots: the Debian 12 netboot kernel and installer initrd, chained by a hand-written iPXE
 * script from a unix-socket HTTP server, under SeaBIOS and under OVMF, inside a private network
 * namespace. Asserts on ttyS1 (as on Metal) and prints the phase times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVm } from '../../src/providers/qemu/vm.js';
import { consoleText } from '../../src/providers/qemu/console-text.js';
import { serveOnUnixSocket } from '../e2e/helpers/unix-http.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, skipUnlessVms } from '../e2e/helpers/vm-env.js';

const skip = await skipUnlessVms();
const PORT = 8080;
const BASE = `http://10.0.2.2:${PORT}`;
const BOOT_MS = 300_000;

const scripts = {
  bios: ['#!ipxe', `kernel ${BASE}/linux console=ttyS1,115200n8 metalboot.test=bios`, `initrd ${BASE}/initrd.gz`, 'boot', ''],
  // UEFI: older iPXE hands the initrd to the EFI stub only when the command line names it.
  uefi: ['#!ipxe', 'imgfree', `kernel ${BASE}/linux initrd=initrd console=ttyS1,115200n8 metalboot.test=uefi`,
    `initrd --name initrd ${BASE}/initrd.gz`, 'boot', ''],
};

describe.skipIf(skip)('a VM boots the Debian installer from the network', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-vm-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['bios', 'uefi'] as const)('under %s, with the kernel command line and the installer on ttyS1', async (firmware) => {
    const work = join(dir, firmware);
    const server = await serveOnUnixSocket(dir, {
      [`/boot-${firmware}.ipxe`]: { text: scripts[firmware].join('\n') },
      '/linux': { file: NETBOOT_KERNEL },
      '/initrd.gz': { file: NETBOOT_INITRD },
    }, `${firmware}.sock`);
    const started = Date.now();
    const vm = await startVm({
      firmware, workDir: work, bootUrl: `${BASE}/boot-${firmware}.ipxe`,
      forwards: [{ guestPort: PORT, socketPath: server.socketPath }], timeoutMs: BOOT_MS,
    });
    try {
      const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, BOOT_MS);
      const kernelUp = Date.now() - started;
      expect(cmdline[1]).toContain(`console=ttyS1,115200n8 metalboot.test=${firmware}`);
      if (firmware === 'uefi') expect(cmdline[1]).toContain('initrd=initrd');
      await vm.waitForConsole(/Run \/init as init process/, BOOT_MS);
      const init = Date.now() - started;
      await vm.waitForConsole(/Select a language/, BOOT_MS);
      const installer = Date.now() - started;
      const text = consoleText(await vm.readConsole());
      expect(text).not.toContain('VFS: Unable to mount root fs');
      expect(text).not.toContain('Kernel panic');
      expect(server.requests.map((r) => r.path)).toEqual([`/boot-${firmware}.ipxe`, '/linux', '/initrd.gz']);
      const at = (path: string): string => `${((server.requests.find((r) => r.path === path)?.at ?? NaN) / 1000).toFixed(1)}s`;
      console.log(`[${firmware}] script ${at(`/boot-${firmware}.ipxe`)}, kernel ${at('/linux')}, initrd ${at('/initrd.gz')}, ` +
        `kernel up ${(kernelUp / 1000).toFixed(1)}s, init ${(init / 1000).toFixed(1)}s, installer ${(installer / 1000).toFixed(1)}s`);
    } finally {
      await vm.stop();
      await server.close();
    }
  }, BOOT_MS * 2);
});
