/** Shared, fixed inputs for the renderer tests: no I/O, no clocks. */
import { parseConfig } from '../../src/config/load.js';
import type { AssetRef, ImageManifest, ManifestVariant } from '../../src/image/manifest.js';

export const config = parseConfig(
  `server:
  public_url: http://boot.example.net:8080/
images:
  debian12:
    type: files
    kernel: /srv/linux
    initrd: /srv/initrd.gz
  lk-arm:
    type: files
    arch: arm64
    kernel: /srv/lk-arm-kernel
    initrd: /srv/lk-arm-initrd.img
  lk:
    type: files
    console:
      arm64: console=ttyAMA0,115200 earlycon
    variants:
      x86_64: { kernel: /srv/k, initrd: /srv/i }
      arm64: { kernel: /srv/k2, initrd: /srv/i2 }
  ram:
    type: rootfs
devices:
  ram-1:
    image: ram
    macs: ["52:54:00:aa:00:01", "52:54:00:aa:00:02"]
  web-1:
    image: debian12
    macs: ["b4:96:91:aa:bb:01", "b4:96:91:aa:bb:02"]
    kernel_args: [ "net.ifnames=0" ]
  arm-1:
    image: lk-arm
    macs: ["1c:34:da:00:00:01"]
  multi-1:
    image: lk
    uuid: 4c4c4544-0042-3510-8051-b4c04f4b4e32
  hostile-1:
    image: debian12
    kernel_args: ["#comment", ";", "&&", "||", "reboot", "opt=\\"a # b\\"", "x=$1"]
`,
  '/srv/metalboot.yaml',
);

function asset(name: string, seed: string): AssetRef {
  return { name, sha256: seed.repeat(64).slice(0, 64), size: 1000 + name.length };
}

function variant(arch: 'x86_64' | 'arm64', seed: string, cmdline: string[], compression: ManifestVariant['compression'] = 'gzip'): ManifestVariant {
  return { arch, kernel: asset(arch === 'arm64' ? 'Image' : 'linux', seed), initrd: asset(compression === 'none' ? 'initrd.img' : 'initrd.gz', seed === 'a' ? 'b' : 'd'), compression, cmdline };
}

export const manifests: Record<string, ImageManifest> = {
  debian12: {
    schema: 1, name: 'debian12', type: 'files', installer: true,
    variants: { x86_64: variant('x86_64', 'a', ['auto=true', 'priority=critical', 'url={{preseed_url}}', 'metalboot.events={{events_url}}']) },
  },
  'lk-arm': {
    schema: 1, name: 'lk-arm', type: 'files', installer: false,
    variants: { arm64: variant('arm64', 'c', ['root=/dev/ram0'], 'none') },
  },
  lk: {
    schema: 1, name: 'lk', type: 'files', installer: false,
    variants: { x86_64: variant('x86_64', 'e', ['root=/dev/ram0']), arm64: variant('arm64', 'f', ['root=/dev/ram0'], 'none') },
  },
};

manifests.ram = {
  schema: 1, name: 'ram', type: 'rootfs', installer: false,
  variants: { x86_64: { ...variant('x86_64', '1', [], 'zstd'), initrd: asset('initrd.zst', '2') } },
};

export const TOKEN = '0123456789abcdef0123456789abcdef';
