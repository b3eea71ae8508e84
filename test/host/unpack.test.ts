/**
 * Debian 13's iPXE on a Debian 12 host: the private apt configuration keeps every piece of apt
 * state in its own directory, the archive is the host's own, and ensurePackages unpacks instead of
 * installing. The last test reads the binaries the global setup unpacked: each is a PE image for
 * the machine its name says (the PE header's Machine field), so the cache holds Debian 13's
 * arm64 and x86-64 UEFI builds, not some other file.
 */
import { open } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IPXE_TRIXIE_ARM64_EFI, IPXE_TRIXIE_ROOT, IPXE_TRIXIE_SNPONLY_EFI, IPXE_TRIXIE_X86_64_EFI } from '../../src/host/debian-files.js';
import { ensurePackages, installHint } from '../../src/host/ensure.js';
import { packageProviding } from '../../src/host/packages.js';
import { hostArchiveUri, osCodename, privateAptOptions, renderUnpackSources } from '../../src/host/unpack.js';

describe('the private apt configuration', () => {
  it('puts sources, preferences, lists and cache under its own directory', () => {
    const options = privateAptOptions('/var/cache/metalboot/ipxe-trixie.tmp-x/apt');
    const values = options.filter((_, i) => i % 2 === 1);
    expect(options.filter((_, i) => i % 2 === 0).every((o) => o === '-o')).toBe(true);
    for (const key of ['Dir::Etc::SourceList', 'Dir::Etc::SourceParts', 'Dir::Etc::Preferences', 'Dir::Etc::PreferencesParts', 'Dir::State::Lists', 'Dir::Cache']) {
      expect(values.find((v) => v.startsWith(`${key}=`))).toMatch(/^[^=]+=\/var\/cache\/metalboot\/ipxe-trixie\.tmp-x\/apt\//);
    }
  });

  it('names only the one suite, signed by the archive keyring', () => {
    expect(renderUnpackSources('http://archive.example/debian/', 'trixie')).toBe(
      'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://archive.example/debian/ trixie main\n',
    );
  });

  it("takes the archive the host's apt uses for its own release, not -updates or -security", () => {
    const targets = [
      'http://security.example/debian-security/ bookworm-security',
      'http://archive.example/debian/ bookworm-updates',
      'cdrom://[Debian]/ bookworm',
      'http://archive.example/debian/ bookworm',
    ].join('\n');
    expect(hostArchiveUri(targets, 'bookworm')).toBe('http://archive.example/debian/');
    expect(hostArchiveUri(targets, 'trixie')).toBeUndefined();
    expect(osCodename('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n')).toBe('bookworm');
  });
});

describe('ensurePackages with a package to unpack', () => {
  it('unpacks it (after apt-get installs the others), and tells a non-root user how', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metalboot-unpack-'));
    try {
      const plain = { name: 'plain', proves: [join(dir, 'plain')] };
      const other = { name: 'ipxe', suite: 'trixie', unpackInto: join(dir, 'ipxe'), proves: [join(dir, 'ipxe-file')] };
      const steps: string[] = [];
      await ensurePackages([other, plain], {
        root: true, log: () => {},
        install: async (packages) => {
          steps.push(`install ${packages.map((p) => p.name).join(' ')}`);
          await writeFile(join(dir, 'plain'), '');
        },
        unpack: async (pkg) => {
          steps.push(`unpack ${pkg.name}`);
          await writeFile(join(dir, 'ipxe-file'), '');
        },
      });
      expect(steps).toEqual(['install plain', 'unpack ipxe']);
      expect(installHint([plain, other])).toBe(
        `install them as root: apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends plain; as root, \`npx tsx src/host/install.ts\` fetches ipxe/trixie through a private apt configuration and unpacks it into ${join(dir, 'ipxe')} (nothing is installed)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The Machine field of a PE image (0xaa64 arm64, 0x8664 x86-64). */
async function peMachine(file: string): Promise<number> {
  const handle = await open(file);
  try {
    const head = Buffer.alloc(4096);
    await handle.read(head, 0, head.length, 0);
    expect(head.toString('latin1', 0, 2)).toBe('MZ');
    const pe = head.readUInt32LE(0x3c);
    expect(head.toString('latin1', pe, pe + 4)).toBe('PE\0\0');
    return head.readUInt16LE(pe + 4);
  } finally {
    await handle.close();
  }
}

describe("Debian 13's iPXE in the host cache (unpacked by the global setup)", () => {
  it('is listed once, under the cache, and its binaries are UEFI images for arm64 and x86-64', async () => {
    expect(packageProviding(IPXE_TRIXIE_ARM64_EFI)).toMatchObject({ name: 'ipxe', suite: 'trixie', unpackInto: IPXE_TRIXIE_ROOT });
    expect(await peMachine(IPXE_TRIXIE_ARM64_EFI)).toBe(0xaa64);
    expect(await peMachine(IPXE_TRIXIE_X86_64_EFI)).toBe(0x8664);
    expect(await peMachine(IPXE_TRIXIE_SNPONLY_EFI)).toBe(0x8664);
  });
});
