import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { parsePrintUris } from '../../src/mirror/apt-resolve.js';
import { parsePackages, parseStatus } from '../../src/mirror/packages.js';
import { readPreseedAsks } from '../../src/mirror/preseed-asks.js';
import { parseRelease } from '../../src/mirror/release.js';
import { selectUdebs } from '../../src/mirror/udebs.js';
import { wantedPackages } from '../../src/mirror/wanted.js';

const stanza = (fields: Record<string, string>): string => `${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
const pkg = (name: string, extra: Record<string, string> = {}): string =>
  stanza({ Package: name, Version: '1', Priority: 'optional', Filename: `pool/main/x/${name}/${name}_1_amd64.udeb`, Size: '1', SHA256: 'a'.repeat(64), ...extra });

describe('mirror rules', () => {
  it('reads the tasks and packages the shipped preseed asks for', async () => {
    const asks = readPreseedAsks(await readFile(new URL('../../preseed/bonded.cfg', import.meta.url), 'utf8'));
    expect(asks).toEqual({ tasks: ['standard', 'ssh-server'], packages: ['openssh-server', 'curl', 'jq'] });
  });

  it('joins continuation lines and ignores commented questions in a preseed', () => {
    expect(readPreseedAsks('# d-i pkgsel/include string nope\nd-i pkgsel/include string a \\\n  b\ntasksel tasksel/first multiselect ssh-server\n'))
      .toEqual({ tasks: ['ssh-server'], packages: ['a', 'b'] });
  });

  it('parses the signed sums, components and Valid-Until of a Release', () => {
    const info = parseRelease('Codename: bookworm\nSuite: oldstable\nComponents: main contrib\nArchitectures: amd64 arm64\nValid-Until: Sat, 01 Jan 2000 00:00:00 UTC\nSHA256:\n ' +
      `${'b'.repeat(64)}  12 main/binary-amd64/Packages.xz\n`, 'Release');
    expect(info.components).toEqual(['main', 'contrib']);
    expect(info.validUntil?.getUTCFullYear()).toBe(2000);
    expect(info.sums.get('main/binary-amd64/Packages.xz')).toEqual({ sha256: 'b'.repeat(64), size: 12 });
  });

  it('refuses a Packages entry whose Filename would leave the mirror', () => {
    expect(() => parsePackages(pkg('evil', { Filename: 'pool/../../etc/passwd.deb' }), 'Packages')).toThrow(/unsafe Filename/);
    expect(() => parsePackages(pkg('evil', { Filename: '/etc/x.deb' }), 'Packages')).toThrow(/unsafe Filename/);
  });

  it('counts the installer initrd\'s "unpacked" udebs as present', () => {
    expect(parseStatus('Package: anna\nStatus: install ok unpacked\n\nPackage: gone\nStatus: deinstall ok config-files\n').map((e) => e.name)).toEqual(['anna']);
  });

  it('selects standard udebs, every module udeb of the initrd\'s kernel and their dependencies, and nothing for other kernels', () => {
    const index = parsePackages([
      pkg('anna', { Priority: 'standard' }),
      pkg('partman-ext3', { Priority: 'standard', Depends: 'e2fsprogs-udeb, ext4-modules' }),
      pkg('e2fsprogs-udeb'), pkg('unused-udeb'),
      pkg('ext4-modules-6.1.0-50-amd64-di', { Provides: 'ext4-modules', 'Kernel-Version': '6.1.0-50-amd64' }),
      pkg('nic-modules-6.1.0-50-amd64-di', { 'Kernel-Version': '6.1.0-50-amd64' }),
      pkg('ext4-modules-6.1.0-47-amd64-di', { Priority: 'standard', Provides: 'ext4-modules', 'Kernel-Version': '6.1.0-47-amd64' }),
      pkg('needs-ghost', { Priority: 'important', Depends: 'ghost-udeb' }),
    ].join('\n'), 'Packages');
    const installed = parseStatus('Package: anna\nStatus: install ok unpacked\n');
    const selection = selectUdebs(index, installed, '6.1.0-50-amd64');
    expect(selection.udebs.map((e) => e.name).sort()).toEqual(['e2fsprogs-udeb', 'ext4-modules-6.1.0-50-amd64-di', 'needs-ghost', 'nic-modules-6.1.0-50-amd64-di', 'partman-ext3']);
    expect(selection.unresolved).toEqual(['ghost-udeb']);
  });

  it('resolves one set per boot loader and names what the preseed wants but the suite lacks', () => {
    const index = parsePackages([pkg('base-files', { Priority: 'required' }), pkg('linux-image-amd64'), pkg('grub-pc'), pkg('grub-efi-amd64'), pkg('locales'), pkg('curl')].join('\n'), 'Packages');
    const wanted = wantedPackages(index, 'amd64', { tasks: ['ssh-server'], packages: ['curl', 'nosuch'] });
    expect(wanted.sets).toHaveLength(2);
    expect(wanted.sets[0]).toEqual(expect.arrayContaining(['base-files', 'linux-image-amd64', 'locales', 'curl', 'grub-pc']));
    expect(wanted.sets[0]).not.toContain('grub-efi-amd64');
    expect(wanted.sets[1]).toContain('grub-efi-amd64');
    expect(wanted.absent).toEqual(['nosuch', 'task-ssh-server']);
  });

  it('turns apt\'s --print-uris lines into pool paths, decoding %-escapes', () => {
    const out = "'file:/m/pool/main/g/gcc-12/libstdc%2b%2b6_12.2.0-14_amd64.deb' libstdc++6_12.2.0-14_amd64.deb 1 SHA256:x\n";
    expect(parsePrintUris(out, '/m')).toEqual(['pool/main/g/gcc-12/libstdc++6_12.2.0-14_amd64.deb']);
    expect(() => parsePrintUris("'file:/elsewhere/pool/x.deb' x 1 SHA256:x\n", '/m')).toThrow(/outside the mirror/);
  });

  it('reads local_mirror on a debian image and rejects anything but true or false', () => {
    const localMirror = (line: string): unknown => {
      const image = parseConfig(`images:\n  d:\n    type: debian\n${line}`, '/x/metalboot.yaml').images.d;
      return image?.type === 'debian' ? image.localMirror : undefined;
    };
    expect(localMirror('    local_mirror: true\n')).toBe(true);
    expect(localMirror('')).toBe(false);
    expect(() => localMirror('    local_mirror: "yes"\n')).toThrow(/metalboot\.yaml:4.*images\.d\.local_mirror.*expected true or false/);
  });
});
