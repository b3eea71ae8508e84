/**
 * arm64 through real firmware: one dual-arch image (x86_64 and arm64 variants from Debian's
 * netboot packages) through `metalboot boot-test --arch both --firmware bios`. The arm64 VM
 * (virt, AAVMF, Debian 13's ipxe-arm64.efi) takes the script's arm64 branch, fetches only the
 * arm64 kernel and the uncompressed initrd, and the installer starts with its console on ttyAMA0;
 * the x86_64 VM (SeaBIOS, QEMU's iPXE ROM) fetches only the x86_64 ones. Evidence: the server's
 * own event database, the store, and the VMs' serial logs (kept with --keep).
 */
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgv } from '../../src/demo/cli-in-netns.js';
import { EventStore } from '../../src/events/store.js';
import { assetFile } from '../../src/image/store/layout.js';
import { readManifest } from '../../src/image/store/manifests.js';
import type { ManifestVariant } from '../../src/image/manifest.js';
import { consoleText } from '../../src/vm/console-text.js';
import { NETBOOT_ARM64_INITRD, NETBOOT_ARM64_KERNEL, NETBOOT_INITRD, NETBOOT_KERNEL, skipUnlessArm64Vms } from './helpers/vm-env.js';

const skip = await skipUnlessArm64Vms();
/** d-i's screen status line once the installer menu runs (the same on ttyS1 and ttyAMA0). */
const INSTALLER = '\\(1\\*installer\\)';
/**
 * boot-test's --expect is one pattern for every VM: the x86_64 VM (whose kernel line names ttyS1)
 * passes once init starts, since it only has to show which assets it fetched; the arm64 VM has
 * to reach the installer. Saves the x86 installer's start (20–60 s) on a loaded machine.
 */
const EXPECT = `console=ttyS1[\\s\\S]*Run /init as init process|${INSTALLER}`;

interface Result {
  arch: string; firmware: string; ok: boolean; reached: string; error?: string; consolePort: string;
  phases: Record<string, number>; fetched: { kind: string; path: string }[];
}

async function head(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(bytes);
    await handle.read(buffer, 0, bytes, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}

const assetPath = (asset: ManifestVariant['kernel']): string => `/assets/${asset.sha256}/${asset.name}`;

describe.skipIf(skip)('a dual-arch image on an arm64 and an x86_64 VM', () => {
  let dir: string;
  let kept: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-arm64-');
    await writeFile(join(dir, 'metalboot.yaml'), [
      'server:',
      `  state_dir: ${join(dir, 'state')}`,
      'images:',
      '  dual:',
      '    type: files',
      '    variants:',
      `      x86_64: { kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }`,
      `      arm64: { kernel: ${NETBOOT_ARM64_KERNEL}, initrd: ${NETBOOT_ARM64_INITRD} }`,
      '',
    ].join('\n'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    if (kept) await rm(kept, { recursive: true, force: true });
  });

  it('boots the right variant on each: arm64 to the installer on ttyAMA0, x86_64 on ttyS1', async () => {
    const cli = cliArgv();
    const result = await execa(cli.file, [
      ...cli.args, 'boot-test', 'dual', '--arch', 'both', '--firmware', 'bios', '--expect', EXPECT,
      '--timeout', '240', '--json', '--keep', '--config', join(dir, 'metalboot.yaml'),
    ], { reject: false, timeout: 600_000 });
    kept = /console logs kept in (\S+)/.exec(result.stderr)?.[1];
    const json = JSON.parse(result.stdout) as { ok: boolean; results: Result[] };
    for (const r of json.results) console.log(`[arm64-boot] ${r.arch} ${r.firmware}: ${JSON.stringify(r.phases)}${r.error ? ` ${r.error}` : ''}`);
    expect(json.results.map((r) => [r.arch, r.firmware, r.ok, r.reached, r.consolePort])).toEqual([
      ['x86_64', 'bios', true, 'success', 'ttyS1'],
      ['arm64', 'uefi', true, 'success', 'ttyAMA0'],
    ]);
    expect(result.exitCode).toBe(0);

    // The server handed each VM only its own arch's kernel and initrd (the store's manifest says which is which).
    const stateDir = join(dir, 'state');
    const { variants } = await readManifest(stateDir, 'dual');
    const x86 = variants.x86_64!;
    const arm = variants.arm64!;
    const [x86Run, armRun] = json.results as [Result, Result];
    expect(x86Run.fetched).toEqual([
      { kind: 'script', path: '/ipxe/boot-test' }, { kind: 'kernel', path: assetPath(x86.kernel) }, { kind: 'initrd', path: assetPath(x86.initrd) },
    ]);
    expect(armRun.fetched).toEqual([
      { kind: 'script', path: '/ipxe/boot-test' }, { kind: 'kernel', path: assetPath(arm.kernel) }, { kind: 'initrd', path: assetPath(arm.initrd) },
    ]);
    // …as the server's own event database recorded them, in that order.
    const events = new EventStore(join(kept!, 'events.db'));
    try {
      const recorded = events.list({ device: 'boot-test' }).filter((e) => ['script', 'kernel', 'initrd'].includes(e.kind));
      expect(recorded.map((e) => ({ kind: e.kind, path: e.path }))).toEqual([...x86Run.fetched, ...armRun.fetched]);
    } finally {
      events.close();
    }
    // The arm64 initrd is served uncompressed (newc cpio), the x86_64 one as Debian ships it (gzip).
    expect([arm.compression, (await head(assetFile(stateDir, arm.initrd.sha256), 6)).toString('latin1')]).toEqual(['none', '070701']);
    expect([x86.compression, (await head(assetFile(stateDir, x86.initrd.sha256), 2)).toString('hex')]).toEqual(['gzip', '1f8b']);

    // ttyAMA0: firmware, iPXE taking the arm64 branch, the EFI stub loading the initrd, the kernel line, the installer.
    const arm64Console = consoleText(await readFile(join(kept!, 'arm64-uefi', 'ttyAMA0.log'), 'utf8'));
    expect(arm64Console).toContain('metalboot: device boot-test, image dual, firmware efi, arch arm64');
    expect(arm64Console).toContain('metalboot: loading arm64 kernel and initrd (UEFI)');
    expect(arm64Console).toContain('EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path');
    expect(arm64Console).toMatch(/Kernel command line: .*console=ttyAMA0,115200/);
    expect(arm64Console).toMatch(new RegExp(INSTALLER));
    // The x86 VM: iPXE on ttyS0 took the x86_64 branch; the kernel is on ttyS1.
    const read = async (file: string): Promise<string> => consoleText(await readFile(join(kept!, 'x86_64-bios', file), 'utf8'));
    expect(await read('ttyS0.log')).toContain('metalboot: loading x86_64 kernel and initrd (BIOS)');
    expect(await read('ttyS1.log')).toMatch(/Kernel command line: .*console=ttyS1,115200n8/);
  }, 660_000);
});
