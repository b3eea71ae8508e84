import { describe, expect, it } from 'vitest';
import { qemuArgsArm64 } from '../../src/vm/qemu-args-arm64.js';
import type { Arm64QemuArgsInput } from '../../src/vm/qemu-args-arm64.js';
import { UsageError } from '../../src/errors.js';
import { VM_MACHINES, supportsFirmware } from '../../src/vm/machine.js';

const base: Arm64QemuArgsInput = {
  bootUrl: 'http://10.0.2.2:8080/ipxe/arm-1',
  ttyAMA0Log: '/run/vm/arm-1/ttyAMA0.log',
  aavmfVars: '/run/vm/arm-1/AAVMF_VARS.fd',
  userNetConfig: '/run/vm/arm-1/netdev.cfg',
};

// One argument per line; a line holding spaces would show that argv was joined somewhere.
const show = (args: string[]): string => `${args.join('\n')}\n`;

describe('qemuArgsArm64', () => {
  it('boots the virt machine under AAVMF with iPXE for arm64 as the EFI application, console on the one UART', async () => {
    await expect(show(qemuArgsArm64(base))).toMatchFileSnapshot('../golden/qemu/arm64-minimal.txt');
  });

  it('adds MAC (the NIC keeps no option ROM), SMBIOS UUID, disk, memory, cpus and other firmware files', async () => {
    const args = qemuArgsArm64({
      ...base, memoryMb: 2048, cpus: 2, mac: '52:54:00:AA:BB:02', uuid: '0F8E2D1C-1111-2222-3333-444455556666',
      aavmfCode: '/opt/AAVMF_CODE.fd', ipxeEfi: '/opt/ipxe-arm64.efi', disk: '/run/vm/arm-1/disk.qcow2',
    });
    await expect(show(args)).toMatchFileSnapshot('../golden/qemu/arm64-full.txt');
  });

  it('doubles commas so a path cannot inject QEMU options; the boot URL is not in argv', () => {
    const args = qemuArgsArm64({ ...base, bootUrl: 'http://10.0.2.2:8080/ipxe/a,b?token=secret', aavmfVars: '/tmp/v,readonly=off' });
    expect(args.join(' ')).not.toContain('token');
    expect(args).toContain('/run/vm/arm-1/netdev.cfg');
    expect(args).toContain('if=pflash,format=raw,unit=1,file=/tmp/v,,readonly=off');
  });

  it.each([
    [{ bootUrl: 'ftp://x/y' }, /must start with http/],
    [{ mac: 'nope' }, /not a MAC address/],
    [{ memoryMb: 128 }, /too small/],
    [{ aavmfVars: '' }, /aavmfVars/],
    [{ ttyAMA0Log: '' }, /ttyAMA0Log/],
  ])('rejects %o with a message naming the problem', (change, message) => {
    expect(() => qemuArgsArm64({ ...base, ...change })).toThrow(UsageError);
    expect(() => qemuArgsArm64({ ...base, ...change })).toThrow(message);
  });
});

describe('the VM machines', () => {
  it('x86_64 has two serial ports and both firmwares; arm64 one UART carrying everything, UEFI only', () => {
    expect(VM_MACHINES.x86_64).toMatchObject({ qemuBinary: 'qemu-system-x86_64', serials: ['ttyS0', 'ttyS1'], console: 'ttyS1', firmwareConsole: 'ttyS0' });
    expect(VM_MACHINES.arm64).toMatchObject({ qemuBinary: 'qemu-system-aarch64', serials: ['ttyAMA0'], console: 'ttyAMA0', firmwareConsole: 'ttyAMA0', defaultMemoryMb: 1536 });
    expect([supportsFirmware('arm64', 'bios'), supportsFirmware('arm64', 'uefi'), supportsFirmware('x86_64', 'bios')]).toEqual([false, true, true]);
  });
});
