import { describe, expect, it } from 'vitest';
import { parseDnsmasqLine } from '../../src/dhcp/log-relay.js';

describe('dnsmasq log lines relayed as metalboot\'s', () => {
  it.each([
    ['dnsmasq[672]: started, version 2.90 DNS disabled', { part: 'main', message: 'started, version 2.90 DNS disabled', level: 'info' }],
    ['dnsmasq-dhcp[672]: 3884657998 PXE(pb0) 52:54:00:12:00:01 proxy', { part: 'dhcp', message: '3884657998 PXE(pb0) 52:54:00:12:00:01 proxy', level: 'info' }],
    ['dnsmasq-dhcp[672]: 3884657998 sent size:  4 option: 54 server-identifier  10.78.0.1', { part: 'dhcp', level: 'debug' }],
    ['dnsmasq-tftp[1048]: sent /run/metalboot/dhcp-br0/tftp/snponly.efi to 10.78.0.126', { part: 'tftp', level: 'info' }],
    ['dnsmasq-tftp[1048]: file /x/tftp/nope.efi not found for 10.78.0.126', { part: 'tftp', level: 'warn' }],
    ['dnsmasq: failed to create listening socket for port 67: Address already in use', { part: 'main', message: 'failed to create listening socket for port 67: Address already in use', level: 'warn' }],
  ])('%s', (line, expected) => {
    expect(parseDnsmasqLine(line)).toMatchObject(expected);
  });

  it('drops empty lines, replaces control characters and bounds the length', () => {
    expect(parseDnsmasqLine('   ')).toBeUndefined();
    const parsed = parseDnsmasqLine(`dnsmasq-dhcp[1]: name \u001b[31mred${'x'.repeat(5000)}`)!;
    expect(parsed.message).not.toContain('\u001b');
    expect(parsed.message.length).toBeLessThanOrEqual(1000);
  });
});
