/** What `serve --dhcp` asks for, and what the dnsmasq config is rendered from. Pure types. */

/** `proxy`: next to the site's DHCP server (boot information only); `full`: metalboot's dnsmasq hands out addresses too (labs). */
export type DhcpMode = 'proxy' | 'full';

export const DHCP_MODES: readonly DhcpMode[] = ['proxy', 'full'];

/** An IPv4 range for `full` mode: first and last address handed out. */
export interface DhcpRange {
  readonly start: string;
  readonly end: string;
}

/** The TFTP boot files (names inside the TFTP root) offered to PXE firmware that is not iPXE yet. */
export interface BootFileNames {
  /** x86 BIOS PXE (client arch 0): iPXE through the NIC's UNDI. */
  readonly bios: string;
  /** x86-64 UEFI (client arch 7 and 9): iPXE through the firmware's SNP. */
  readonly efiX86_64: string;
  /** arm64 UEFI (client arch 11), when an arm64 iPXE is available. */
  readonly efiArm64?: string;
}

export interface DnsmasqConfigInput {
  readonly mode: DhcpMode;
  readonly interface: string;
  /** proxy: the interface's IPv4 network and netmask, e.g. 10.0.0.0 / 255.255.255.0. */
  readonly network: { readonly address: string; readonly netmask: string };
  /** full: the addresses to hand out. */
  readonly range?: DhcpRange;
  /** What iPXE (user class "iPXE" or option 175) is sent: `<public URL>/boot.ipxe`. */
  readonly bootUrl: string;
  readonly bootFiles: BootFileNames;
  readonly tftpRoot: string;
  /** Directory of dhcp-host files (the configured MACs), re-read by dnsmasq without a restart. */
  readonly hostsDir: string;
  readonly leaseFile: string;
  readonly pidFile: string;
}
