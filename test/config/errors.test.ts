import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const FILE = '/srv/metalboot.yaml';

function errorOf(text: string): string {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

const IMAGE = `images:
  deb:
    type: files
    kernel: ./linux
    initrd: ./initrd.gz
`;

describe('config errors name the file, the line, the field, the value and what is valid', () => {
  it.each([
    [
      'a MAC that is not a MAC',
      `${IMAGE}devices:\n  web-1:\n    image: deb\n    macs: ["b4:96:91:aa:bb:01", "b4:96:zz"]\n`,
      `${FILE}:9: devices.web-1.macs[1]: "b4:96:zz" is not a MAC address; expected six hex pairs like b4:96:91:aa:bb:01`,
    ],
    [
      'a device naming an unknown image',
      `${IMAGE}devices:\n  web-1:\n    image: debian12\n`,
      `${FILE}:8: devices.web-1.image: no image named "debian12"; images in this file: deb`,
    ],
    [
      'a misspelt field',
      `${IMAGE}devices:\n  web-1:\n    imag: deb\n`,
      `${FILE}:8: devices.web-1.imag: unknown field; did you mean "image"? Valid fields here: metal_id, macs, mac, uuid, image, hostname, kernel_args, bond, always_pxe, ssh_keys, firmware, bmc`,
    ],
    [
      'an unknown image type',
      `images:\n  deb:\n    type: ubuntu\n`,
      `${FILE}:3: images.deb.type: expected one of debian, alma, linuxkit, files, rootfs, disk, got "ubuntu"`,
    ],
    [
      'an unknown architecture',
      `images:\n  deb:\n    type: debian\n    arch: ppc64le\n`,
      `${FILE}:4: images.deb.arch: expected an architecture (x86_64 or arm64), got "ppc64le"`,
    ],
    [
      'a public URL that is not http',
      `server:\n  public_url: ftp://boot.example.net/\n`,
      `${FILE}:2: server.public_url: "ftp://boot.example.net/" must be an http:// or https:// URL (iPXE fetches it)`,
    ],
    [
      'a listen address without a port',
      `server:\n  listen: 0.0.0.0\n`,
      `${FILE}:2: server.listen: "0.0.0.0" is not HOST:PORT; expected something like 127.0.0.1:8080 or 0.0.0.0:80`,
    ],
    [
      'a UUID that is not a UUID',
      `${IMAGE}devices:\n  web-1:\n    image: deb\n    uuid: 1234\n`,
      `${FILE}:9: devices.web-1.uuid: "1234" is not an SMBIOS UUID; expected 8-4-4-4-12 hex digits`,
    ],
    [
      'the same MAC on two devices',
      `${IMAGE}devices:\n  web-1:\n    image: deb\n    macs: [b4:96:91:aa:bb:01]\n  web-2:\n    image: deb\n    macs: [B4-96-91-AA-BB-01]\n`,
      `${FILE}:12: devices.web-2.macs[0]: "b4:96:91:aa:bb:01" is already used by device "web-1"; each device needs its own`,
    ],
    [
      'a bond option with a wrong value',
      `${IMAGE}devices:\n  web-1:\n    image: deb\n    bond: { lacp_rate: medium }\n`,
      `${FILE}:9: devices.web-1.bond.lacp_rate: expected one of slow, fast, got "medium"`,
    ],
    [
      'always_pxe that is neither auto nor a boolean',
      `${IMAGE}devices:\n  web-1:\n    image: deb\n    always_pxe: sometimes\n`,
      `${FILE}:9: devices.web-1.always_pxe: expected auto, true or false, got "sometimes"`,
    ],
    [
      'a device name with capitals and spaces',
      `${IMAGE}devices:\n  "Web 1":\n    image: deb\n`,
      `${FILE}:7: devices.Web 1: "Web 1" is not a valid device name; use 1–63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`,
    ],
    [
      'a linuxkit image with neither yaml nor output',
      `images:\n  lk:\n    type: linuxkit\n`,
      `${FILE}:2: images.lk: a linuxkit image needs exactly one of "yaml" (a LinuxKit file to build) or "output" (an existing build)`,
    ],
    [
      'devices given as a list',
      `devices:\n  - web-1\n`,
      `${FILE}:1: devices: expected a mapping (key: value lines), got a list`,
    ],
    [
      'a files image for two arches without variants',
      `images:\n  deb:\n    type: files\n    arch: [x86_64, arm64]\n    kernel: ./linux\n    initrd: ./initrd\n`,
      `${FILE}:4: images.deb.arch: a files image with several architectures needs "variants" with kernel and initrd for each`,
    ],
    [
      'a miimon out of range',
      `${IMAGE}devices:\n  web-1:\n    image: deb\n    bond:\n      miimon: -5\n`,
      `${FILE}:10: devices.web-1.bond.miimon: expected a whole number from 0 to 60000, got -5 (number)`,
    ],
    [
      'YAML that does not parse',
      `devices:\n  web-1: [unclosed\n`,
      `${FILE}:3: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ],
  ])('%s', (_title, text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('reports a missing config file with the path and how to fix it', async () => {
    const { loadConfig } = await import('../../src/config/load.js');
    await expect(loadConfig('/nonexistent/metalboot.yaml')).rejects.toMatchObject({
      message: 'config file /nonexistent/metalboot.yaml does not exist',
      hint: 'create metalboot.yaml (see the README), pass --config FILE, or set METALBOOT_CONFIG',
    });
  });
});
