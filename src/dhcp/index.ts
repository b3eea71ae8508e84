export type { DhcpMode, DhcpRange, DnsmasqConfigInput, BootFileNames } from './types.js';
export { DHCP_MODES } from './types.js';
export { renderDnsmasqConfig } from './dnsmasq-config.js';
export { renderHostsFile, deviceMacs } from './hosts.js';
export { preflightDhcp, startDhcpService } from './service.js';
export type { DhcpService, DhcpServiceOptions } from './service.js';
