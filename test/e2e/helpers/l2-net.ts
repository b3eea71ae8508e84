/**
 * The own-L2 boot network of test/e2e/l2-boot.test.ts, inside one private namespace, as one sh
 * script (everything it starts is in the namespace's process group and dies with it):
 *
 *   l2br0 10.79.0.1/24 ── metalboot serve --dhcp proxy (dnsmasq) + HTTP :8080
 *     ├─ l2sitep ══veth══ l2site0 10.79.0.2 in a nested namespace: the "site" dnsmasq (addresses only)
 *     └─ l2t0…l2tN: one QEMU VM each, booting from its NIC (SeaBIOS: the NIC's iPXE ROM; OVMF: its own PXE)
 *
 * The site's DHCP server is in its own namespace because two DHCP servers cannot share port 67 on
 * one interface in one namespace. Each VM's start time is written to `<name>.start` (ms since epoch),
 * serve's pid to `serve.pid` (the test sends it SIGHUP).
 */
import { join } from 'node:path';
import { OVMF_CODE } from '../../../src/host/debian-files.js';
import { l2SetupCommands, tapNicArgs } from '../../../src/vm/l2.js';
import { shellQuote } from './lacp-net.js';

export const L2_BRIDGE = 'l2br0';
export const SERVER_ADDRESS = '10.79.0.1';
export const SITE_ADDRESS = '10.79.0.2';
export const HTTP_PORT = 8080;

export interface L2Vm {
  readonly name: string;
  readonly mac: string;
  readonly firmware: 'bios' | 'uefi';
}

export interface L2NetInput {
  readonly dir: string;
  /** argv of `metalboot serve …` (run inside the namespace; its output goes to serve.log). */
  readonly serve: readonly string[];
  readonly vms: readonly L2Vm[];
  readonly memoryMb: number;
  /** false: no site DHCP server (serve --dhcp full hands out the addresses). Default true. */
  readonly site?: boolean;
  /**
   * The bridge's name (default l2br0). Each test file gets its own: serve --dhcp keeps its files in
   * /run/metalboot/dhcp-<interface>, which two namespaces with the same bridge name would share.
   */
  readonly bridge?: string;
  /** Extra taps on the bridge with no VM yet (`l2s0`…), for VMs started later (e.g. by a Redfish reset). */
  readonly spareTaps?: number;
}

const line = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');

export function l2NetScript(input: L2NetInput): string {
  const { dir } = input;
  const bridge = input.bridge ?? L2_BRIDGE;
  const taps = input.vms.map((_vm, i) => `l2t${i}`);
  const spare = Array.from({ length: input.spareTaps ?? 0 }, (_v, i) => `l2s${i}`);
  const setup = l2SetupCommands({ bridge, address: `${SERVER_ADDRESS}/24`, bridgedTaps: [...taps, ...spare], looseTaps: [] });
  const site = [
    'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--port=0', '--interface=l2site0', '--bind-interfaces',
    '--dhcp-range=10.79.0.100,10.79.0.199,255.255.255.0,1h', '--dhcp-authoritative', `--dhcp-leasefile=${join(dir, 'site.leases')}`,
    `--pid-file=${join(dir, 'site.pid')}`, '--user=root', '--log-dhcp', `--log-facility=${join(dir, 'site.log')}`,
  ];
  const siteScript = [
    'while ! ip link show l2site0 >/dev/null 2>&1; do sleep 0.1; done',
    `ip link set lo up; ip address add ${SITE_ADDRESS}/24 dev l2site0; ip link set l2site0 up`,
    `exec ${line(site)}`,
  ].join('\n');
  const vms = input.vms.map((vm, i) => {
    const vmDir = join(dir, vm.name);
    const firmware = vm.firmware === 'uefi'
      ? ['-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`, '-drive', `if=pflash,format=raw,unit=1,file=${join(vmDir, 'OVMF_VARS.fd')}`]
      : ['-fw_cfg', `name=etc/sercon-port,file=${join(vmDir, 'sercon-port.bin')}`];
    const qemu = [
      'qemu-system-x86_64', '-name', vm.name, '-nodefaults', '-machine', 'pc', '-accel', 'tcg', '-m', String(input.memoryMb), '-smp', '1',
      '-display', 'none', '-serial', `file:${join(vmDir, 'ttyS0.log')}`, '-serial', `file:${join(vmDir, 'ttyS1.log')}`, ...firmware,
      // SeaBIOS boots the NIC's iPXE ROM; OVMF gets no ROM, so its own PXE does DHCP → TFTP → iPXE.
      ...tapNicArgs([{ tap: taps[i]!, mac: vm.mac, rom: vm.firmware === 'bios' }]),
      // SeaBIOS tries again 5 s after "No bootable device" (QEMU's default is never)
      ...(vm.firmware === 'bios' ? ['-boot', 'order=n,reboot-timeout=5000'] : []),
    ];
    return `date +%s%3N > ${shellQuote(join(dir, `${vm.name}.start`))}; ${line(qemu)} > ${shellQuote(join(vmDir, 'qemu.log'))} 2>&1 &`;
  });
  const withSite = input.site ?? true;
  const siteLines = [
    'ip link add l2site0 type veth peer name l2sitep',
    `ip link set l2sitep master ${bridge} up`,
    `unshare -n sh -c ${shellQuote(siteScript)} &`,
    // move the veth end only once unshare has made the new namespace (else it stays here)
    'site=$!; me=$(readlink /proc/$$/ns/net); until [ "$(readlink /proc/$site/ns/net)" != "$me" ]; do sleep 0.05; done',
    'ip link set l2site0 netns $site',
  ];
  const siteReady = withSite ? ` && [ -s ${shellQuote(join(dir, 'site.pid'))} ]` : '';
  return [
    'set -eu',
    ...setup.map(line),
    ...(withSite ? siteLines : []),
    `${line(input.serve)} > ${shellQuote(join(dir, 'serve.log'))} 2>&1 &`,
    `echo $! > ${shellQuote(join(dir, 'serve.pid'))}`,
    // the VMs start once the DHCP servers run: metalboot's dnsmasq (the CLI says so on stderr), the site's (its pid file)
    `i=0; until grep -q 'DHCP on ${bridge}' ${shellQuote(join(dir, 'serve.log'))}${siteReady}; do i=$((i+1)); [ $i -lt 600 ] || exit 3; sleep 0.2; done`,
    ...vms,
    'wait',
    '',
  ].join('\n');
}
