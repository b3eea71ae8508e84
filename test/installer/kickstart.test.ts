import { describe, expect, it } from 'vitest';
import { renderKickstart } from '../../src/installer/kickstart.js';
import { BOND_OPTIONS, checkKickstart, splitWords } from './kickstart-commands.js';
import { almaImage, device, input, shipped } from './fixtures.js';

describe('renderKickstart', () => {
  it('renders kickstart/alma9.ks for a device (golden)', async () => {
    const text = renderKickstart(input(almaImage, await shipped('kickstart/alma9.ks')));
    await expect(text).toMatchFileSnapshot('../golden/kickstart/web-1.ks');
    expect(text).not.toMatch(/\{\{/);
    expect(text).toContain('bootloader --location=mbr --append="console=ttyS1,115200n8"');
    expect(text).toContain('for mac in b4:96:91:aa:bb:01 b4:96:91:aa:bb:02; do');
    expect(text).toContain('--bondopts=mode=802.3ad,lacp_rate=slow,miimon=100,xmit_hash_policy=layer3+4');
    expect(text).toContain('sshkey --username=root "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZha2VrZXlmb3J0ZXN0aW5nb25seQ ops@example"');
    expect(text).toMatch(/%post[\s\S]*curl .*'http:\/\/boot\.example\.net:8080\/events\/web-1\?token=0123456789abcdef0123456789abcdef'[\s\S]*%end/);
  });

  it('uses only commands and options AlmaLinux 9 accepts', async () => {
    const text = renderKickstart(input(almaImage, await shipped('kickstart/alma9.ks')));
    expect(checkKickstart(text)).toEqual([]);
    const network = /echo "(network [^"]*)"/.exec(text)![1]!;
    const opts = splitWords(network).find((word) => word.startsWith('--bondopts='))!.slice('--bondopts='.length);
    for (const pair of opts.split(',')) expect(BOND_OPTIONS).toContain(pair.split('=')[0]);
  });

  it('the checker rejects unknown commands, options and unclosed sections', () => {
    expect(checkKickstart('install\nnetwork --bondslave=eth0\n%post\n')).toEqual([
      'unknown command install', 'network: unknown option --bondslave', '%post is not closed with %end',
    ]);
    expect(checkKickstart('bootloader --append\n')).toEqual(['bootloader: option --append needs a value']);
  });

  it('fails loudly on a placeholder without a value', () => {
    expect(() => renderKickstart(input(almaImage, 'network --hostname={{host}}\n'))).toThrow(/\{\{host\}\}, which has no value/);
    expect(renderKickstart(input(almaImage, '{{sshkey_lines}}', { device: { ...device, sshKeys: [] } }))).toMatch(/^# \(no SSH keys/);
  });
});
