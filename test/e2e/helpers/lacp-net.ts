/**
 * The network of the rootfs e2e boot, inside the VM's private namespace: a bridge (10.77.0.1/24)
 * with dnsmasq and the test's HTTP server (reached through the relay), the LACP test switch
 * between the bridge and the VM's two taps, then QEMU. Rendered as one sh script the namespace
 * runs; everything it starts is in the namespace's process group and dies with it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/paths.js';
import { l2SetupCommands, tapNicArgs } from '../../../src/vm/l2.js';

export const BRIDGE_ADDRESS = '10.77.0.1';
export const HTTP_PORT = 8080;
export const SWITCH_MAC = '02:00:00:5e:10:01';
export const LACP_SWITCH = join(PACKAGE_ROOT, 'test/fixtures/lacp-switch/lacp_switch.py');

/** QEMU loads the kernel and initrd itself (`-kernel/-initrd/-append`). */
export interface DirectBoot {
  readonly kernel: string;
  readonly initrd: string;
  readonly append: string;
}

/** The firmware boots from the network: the NIC's iPXE ROM gets this URL as DHCP boot file. */
export interface NetworkBoot {
  readonly bootUrl: string;
  /** SeaBIOS's `etc/sercon-port` (src/vm/vm-files.ts writes one): firmware and iPXE then print on ttyS0. */
  readonly serconFile: string;
}

export type LacpNetInput = (DirectBoot | NetworkBoot) & {
  readonly dir: string;
  readonly macs: readonly [string, string];
  readonly memoryMb: number;
  readonly cpus: number;
};

export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,+@%-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

const line = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');

export const TAPS = ['tap0', 'tap1'] as const;

/** The namespace's network up to QEMU: bridge, taps, the LACP switch and dnsmasq (with `dhcpBoot`: the boot file it offers). */
function networkLines(dir: string, dhcpBoot?: string): string[] {
  const taps = [...TAPS];
  const setup = l2SetupCommands({ bridge: 'br0', address: `${BRIDGE_ADDRESS}/24`, bridgedTaps: ['swup'], looseTaps: taps });
  const dnsmasq = [
    'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--port=0', '--interface=br0', '--bind-interfaces',
    '--dhcp-range=10.77.0.100,10.77.0.199,255.255.255.0,1h', '--dhcp-authoritative', '--dhcp-rapid-commit',
    `--dhcp-leasefile=${join(dir, 'leases')}`, `--pid-file=${join(dir, 'dnsmasq.pid')}`, '--user=root', '--log-dhcp',
    `--log-facility=${join(dir, 'dnsmasq.log')}`, ...(dhcpBoot ? [`--dhcp-boot=${dhcpBoot}`] : []),
  ];
  const lacpSwitch = ['/usr/bin/python3', '-u', LACP_SWITCH, '--system-mac', SWITCH_MAC, ...taps.flatMap((t) => ['--member', t]), '--uplink', 'swup'];
  return [
    'set -eu',
    ...setup.map(line),
    `${line(lacpSwitch)} > ${shellQuote(join(dir, 'switch.log'))} 2>&1 &`,
    `${line(dnsmasq)} &`,
  ];
}

/** A VM's `launch` (src/vm/vm.ts): writes `<dir>/net.sh` (the network above, then exec QEMU) and runs it. */
export async function lacpNetLaunch(dir: string, dhcpBoot: string, qemu: { file: string; args: readonly string[] }): Promise<{ file: string; args: string[] }> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'net.sh'), [...networkLines(dir, dhcpBoot), `exec ${line([qemu.file, ...qemu.args])}`, ''].join('\n'));
  return { file: 'sh', args: [join(dir, 'net.sh')] };
}

export function lacpNetScript(input: LacpNetInput): string {
  const { dir } = input;
  const taps = [...TAPS];
  const qemu = [
    'qemu-system-x86_64', '-name', 'metalboot-rootfs', '-nodefaults', '-machine', 'pc', '-accel', 'tcg',
    '-m', String(input.memoryMb), '-smp', String(input.cpus), '-display', 'none',
    ...('bootUrl' in input ? ['-boot', 'n', '-fw_cfg', `name=etc/sercon-port,file=${input.serconFile}`] : ['-kernel', input.kernel, '-initrd', input.initrd, '-append', input.append]),
    '-serial', `file:${join(dir, 'ttyS0.log')}`, '-serial', `file:${join(dir, 'ttyS1.log')}`,
    ...tapNicArgs(taps.map((tap, i) => ({ tap, mac: input.macs[i]! }))),
  ];
  return [...networkLines(dir, 'bootUrl' in input ? input.bootUrl : undefined), `exec ${line(qemu)}`, ''].join('\n');
}
