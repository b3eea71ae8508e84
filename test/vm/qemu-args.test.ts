import { describe, expect, it } from 'vitest';
import { qemuArgs } from '../../src/vm/qemu-args.js';
import type { QemuArgsInput } from '../../src/vm/qemu-args.js';
import { UsageError } from '../../src/errors.js';
import { userNetConfig } from '../../src/vm/user-net.js';

const base: QemuArgsInput = {
  firmware: 'bios',
  bootUrl: 'http://10.0.2.2:8080/ipxe/web-1',
  ttyS0Log: '/run/vm/web-1/ttyS0.log',
  ttyS1Log: '/run/vm/web-1/ttyS1.log',
  userNetConfig: '/run/vm/web-1/netdev.cfg',
};

// One argument per line; a line holding spaces would show that argv was joined somewhere.
const show = (args: string[]): string => `${args.join('\n')}\n`;

describe('qemuArgs', () => {
  it('boots a BIOS VM from the network with both serial ports and no defaults', async () => {
    await expect(show(qemuArgs(base))).toMatchFileSnapshot('../golden/qemu/bios-minimal.txt');
  });

  it('mirrors the SeaBIOS console to ttyS0 when given the sercon port file (BIOS only)', () => {
    const args = qemuArgs({ ...base, serconFile: '/run/vm/web-1/sercon-port.bin' });
    expect(args.slice(args.indexOf('-fw_cfg'), args.indexOf('-fw_cfg') + 2)).toEqual(['-fw_cfg', 'name=etc/sercon-port,file=/run/vm/web-1/sercon-port.bin']);
    expect(qemuArgs({ ...base, firmware: 'uefi', ovmfVars: '/v.fd', serconFile: '/s.bin' })).not.toContain('-fw_cfg');
  });

  it('adds OVMF pflash drives, MAC, SMBIOS UUID, disk, memory and cpus for a UEFI device', async () => {
    const args = qemuArgs({
      ...base,
      firmware: 'uefi',
      memoryMb: 2048,
      cpus: 2,
      mac: '52:54:00:AA:BB:01',
      uuid: '0F8E2D1C-1111-2222-3333-444455556666',
      ovmfCode: '/usr/share/OVMF/OVMF_CODE_4M.fd',
      ovmfVars: '/run/vm/web-1/OVMF_VARS.fd',
      disk: '/run/vm/web-1/disk.qcow2',
    });
    await expect(show(args)).toMatchFileSnapshot('../golden/qemu/uefi-full.txt');
  });

  it('with a boot order, the disk and the NIC carry bootindex (no -boot), and a guest reboot ends QEMU', async () => {
    const disk = { ...base, disk: '/run/vm/web-1/disk.qcow2', exitOnReboot: true, sshHostPort: 2222, qmpSocket: '/run/vm/web-1/qmp.sock' };
    await expect(show(qemuArgs({ ...disk, bootFirst: 'disk' }))).toMatchFileSnapshot('../golden/qemu/bios-disk-first.txt');
    const network = qemuArgs({ ...disk, bootFirst: 'network' });
    expect(network).toContain('virtio-net-pci,netdev=n0,bootindex=1');
    expect(network).toContain('virtio-blk-pci,drive=d0,bootindex=2');
    expect(network).not.toContain('-boot');
    // without a disk there is nothing to order: network only, as before
    expect(qemuArgs({ ...base, bootFirst: 'disk' })).toEqual(qemuArgs(base));
  });

  it('keeps the boot URL (and its token) out of argv: user networking comes from the 0600 config file', async () => {
    const url = `http://10.0.2.2:8080/ipxe/web-1?token=${'ab'.repeat(32)}`;
    const args = qemuArgs({ ...base, bootUrl: url, sshHostPort: 2222 });
    expect(args.join(' ')).not.toContain('token');
    expect(args.slice(args.indexOf('-readconfig'), args.indexOf('-readconfig') + 2)).toEqual(['-readconfig', '/run/vm/web-1/netdev.cfg']);
    await expect(userNetConfig({ id: 'n0', bootUrl: url, sshHostPort: 2222 })).toMatchFileSnapshot('../golden/qemu/netdev.cfg');
    expect(() => qemuArgs({ ...base, userNetConfig: undefined })).toThrow(/userNetConfig/);
    expect(() => qemuArgs({ ...base, sshHostPort: 70_000 })).toThrow(/sshHostPort must be a TCP port/);
  });

  it('a config value cannot break out of its quotes', () => {
    expect(() => userNetConfig({ id: 'n0', bootUrl: 'http://x/"\n[netdev "x"]' })).toThrow(UsageError);
    expect(() => userNetConfig({ id: 'n0', bootUrl: 'http://x/a\nb' })).toThrow(/line breaks/);
    expect(() => userNetConfig({ id: 'n0', bootUrl: `http://x/${'a'.repeat(1001)}` })).toThrow(/at most/);
  });

  it('doubles commas so a path cannot inject QEMU options', () => {
    const args = qemuArgs({ ...base, disk: '/tmp/x,format=raw' });
    expect(args).toContain('if=virtio,format=qcow2,file=/tmp/x,,format=raw');
  });

  it.each([
    [{ bootUrl: 'ftp://x/y' }, /must start with http/],
    [{ bootUrl: 'http://x/a b' }, /spaces or quotes/],
    [{ mac: '52:54:00:zz:00:01' }, /not a MAC address/],
    [{ uuid: 'not-a-uuid' }, /not an SMBIOS UUID/],
    [{ memoryMb: 64 }, /too small/],
    [{ cpus: 0 }, /positive integer/],
    [{ firmware: 'uefi' as const }, /ovmfVars/],
  ])('rejects %o with a message naming the problem', (change, message) => {
    expect(() => qemuArgs({ ...base, ...change })).toThrow(UsageError);
    expect(() => qemuArgs({ ...base, ...change })).toThrow(message);
  });
});
