/** A config and a built manifest for the boot-test unit tests (no I/O). */
import { parseConfig } from '../../src/config/load.js';
import type { ImageManifest } from '../../src/image/manifest.js';

export const SECRET = 'boot-test-secret';

export const config = parseConfig(
  `server:
  public_url: http://boot.example.net:8080
  state_dir: /var/lib/metalboot
images:
  deb: { type: files, kernel: /k/linux, initrd: /k/initrd.gz, kernel_args: [quiet] }
devices:
  web-1: { image: deb, macs: ["b4:96:91:aa:bb:01"], kernel_args: [metalboot.x=1] }
  boot-test: { image: deb }
`,
  '/etc/metalboot.yaml',
);

export const manifest: ImageManifest = {
  schema: 1, name: 'deb', type: 'files', installer: false,
  variants: { x86_64: { arch: 'x86_64', kernel: { name: 'linux', sha256: 'a'.repeat(64), size: 1 }, initrd: { name: 'initrd.gz', sha256: 'b'.repeat(64), size: 1 }, compression: 'gzip', cmdline: ['priority=critical', 'url={{preseed_url}}'] } },
};
