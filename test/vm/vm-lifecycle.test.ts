/**
 * No QEMU outlives whoever started it: stop(), the hard timeout, and a parent that dies by
 * SIGTERM or even SIGKILL all end the VM. Plus: a missing firmware names its Debian package.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVm } from '../../src/vm/vm.js';
import { skipUnlessVms } from '../e2e/helpers/vm-env.js';
import { groupAlive } from '../../src/vm/vm-registry.js';

const skip = await skipUnlessVms();
const NOWHERE = 'http://10.0.2.2:8080/none';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The qemu process the relay started (it appears once the relay has set up the namespace). */
async function qemuPid(relayPid: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const children = readFileSync(`/proc/${relayPid}/task/${relayPid}/children`, 'utf8').trim();
    for (const pid of children.split(/\s+/).filter(Boolean).map(Number)) {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('qemu-system-')) return pid;
    }
    await sleep(100);
  }
  throw new Error(`no qemu under relay ${relayPid}`);
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  return !alive(pid);
}

describe.skipIf(skip)('VM lifecycle', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-vmlife-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stop() ends qemu and resolves exited', async () => {
    const vm = await startVm({ firmware: 'bios', bootUrl: NOWHERE, workDir: join(dir, 'stop'), forwards: [] });
    const qemu = await qemuPid(vm.pid ?? 0);
    await vm.stop();
    expect(await gone(qemu)).toBe(true);
    await vm.exited;
    expect(groupAlive(vm.pid)).toBe(false); // the whole process group (relay and qemu) is gone
  });

  it('the hard timeout kills the VM and a waiting console call reports the exit with the console tail', async () => {
    const vm = await startVm({ firmware: 'bios', bootUrl: NOWHERE, workDir: join(dir, 'timeout'), forwards: [], timeoutMs: 2_000 });
    const qemu = await qemuPid(vm.pid ?? 0);
    await expect(vm.waitForConsole(/never printed/, 60_000)).rejects.toThrow(/the VM exited[\s\S]*last 40 lines of ttyS1/);
    expect(await gone(qemu)).toBe(true);
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)('a parent killed by %s leaves no qemu behind', async (signal) => {
    const work = join(dir, signal);
    // One process (no npx/tsx wrapper), so the signal reaches the process that started the VM.
    const fixture = join(import.meta.dirname, 'fixtures/start-vm.ts');
    const parent = execa(process.execPath, ['--import', 'tsx', fixture, work, join(dir, 'none.sock')], {
      reject: false,
      cwd: join(import.meta.dirname, '../..'),
    });
    const relay = await new Promise<number>((resolve, reject) => {
      parent.stdout.on('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      void parent.then((r) => reject(new Error(`fixture exited: ${String(r.stderr)}`)));
    });
    const qemu = await qemuPid(relay);
    parent.kill(signal);
    await parent;
    expect(await gone(qemu)).toBe(true);
  }, 60_000);

  it('an arm64 VM runs qemu-system-aarch64 with its console on ttyAMA0.log, and stop() ends it', async () => {
    const vm = await startVm({ arch: 'arm64', firmware: 'uefi', bootUrl: NOWHERE, workDir: join(dir, 'arm64'), forwards: [] });
    const qemu = await qemuPid(vm.pid ?? 0);
    expect(readFileSync(`/proc/${qemu}/cmdline`, 'utf8').split('\0')[0]).toBe('qemu-system-aarch64');
    expect([vm.arch, vm.consoleLog, vm.firmwareLog, Object.keys(vm.serialLogs)]).toEqual(['arm64', join(dir, 'arm64', 'ttyAMA0.log'), join(dir, 'arm64', 'ttyAMA0.log'), ['ttyAMA0']]);
    await vm.stop();
    expect(await gone(qemu)).toBe(true);
  });

  it('refuses an arm64 VM under BIOS, and names the packages when AAVMF or iPXE for arm64 is missing', async () => {
    await expect(startVm({ arch: 'arm64', firmware: 'bios', bootUrl: NOWHERE, workDir: join(dir, 'armbios'), forwards: [] })).rejects.toThrow('an arm64 VM cannot boot under BIOS: it has UEFI only');
    await expect(
      startVm({ arch: 'arm64', firmware: 'uefi', aavmfCode: '/nonexistent/AAVMF_CODE.fd', ipxeEfi: '/nonexistent/ipxe-arm64.efi', bootUrl: NOWHERE, workDir: join(dir, 'noaavmf'), forwards: [] }),
    ).rejects.toThrow(/cannot start an arm64 VM: missing AAVMF UEFI firmware for arm64 \(\/nonexistent\/AAVMF_CODE.fd, Debian package qemu-efi-aarch64\); Debian 13's iPXE for arm64 UEFI \(\/nonexistent\/ipxe-arm64.efi, Debian package ipxe\/trixie\)/);
  });

  it('names the Debian package when the UEFI firmware is missing', async () => {
    await expect(
      startVm({ firmware: 'uefi', ovmfCode: '/nonexistent/OVMF_CODE_4M.fd', bootUrl: NOWHERE, workDir: join(dir, 'nofw'), forwards: [] }),
    ).rejects.toThrow(/OVMF UEFI firmware \(\/nonexistent\/OVMF_CODE_4M.fd, Debian package ovmf\)/);
  });
});
