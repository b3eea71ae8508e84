import { describe, expect, it } from 'vitest';
import { ARCHES, IMAGE_TYPES } from '../../src/config/types.js';
import { MetalbootError } from '../../src/errors.js';
import { COMPRESSIONS } from '../../src/initrd/compression.js';
import { parseManifest } from '../../src/image/manifest-schema.js';

const asset = (name: string, fill: string) => ({ name, sha256: fill.repeat(64), size: 5 });
const variant = (arch: string) => ({ arch, kernel: asset('linux', 'a'), initrd: asset('initrd.gz', 'b'), compression: 'gzip', cmdline: ['auto=true'] });
const valid = () => ({ schema: 1, name: 'deb', type: 'debian', installer: true, variants: { x86_64: variant('x86_64') } }) as Record<string, unknown>;

function problem(manifest: unknown): string {
  try {
    parseManifest(typeof manifest === 'string' ? manifest : JSON.stringify(manifest), 'images/deb.json');
  } catch (error) {
    expect(error).toBeInstanceOf(MetalbootError);
    expect((error as MetalbootError).code).toBe('E_MANIFEST');
    return (error as Error).message;
  }
  throw new Error('the manifest was accepted');
}

describe('parseManifest', () => {
  it('returns a valid manifest as it was written', () => {
    const manifest = { ...valid(), variants: { x86_64: variant('x86_64'), arm64: { ...variant('arm64'), compression: 'none' } } };
    expect(parseManifest(JSON.stringify(manifest), 'images/deb.json')).toEqual(manifest);
  });

  it.each([
    ['not JSON', 'not json', /^images\/deb\.json: manifest is not JSON: /],
    ['a list', [], 'images/deb.json: manifest field (top) must be an object'],
    ['no name', { ...valid(), name: undefined }, 'images/deb.json: manifest field name must be an image name'],
    ['an upper-case name', { ...valid(), name: 'Deb' }, 'images/deb.json: manifest field name must be an image name'],
    ['another schema', { ...valid(), schema: 2 }, 'images/deb.json: manifest field schema must be 1'],
    ['an unknown type', { ...valid(), type: 'ubuntu' }, `images/deb.json: manifest field type must be one of ${IMAGE_TYPES.join(', ')}`],
    ['installer as text', { ...valid(), installer: 'yes' }, 'images/deb.json: manifest field installer must be true or false'],
    ['an empty variant', { ...valid(), variants: { x86_64: {} } }, 'images/deb.json: manifest field variants.x86_64.arch must be x86_64'],
    ['a variant under another arch', { ...valid(), variants: { arm64: variant('x86_64') } }, 'images/deb.json: manifest field variants.arm64.arch must be arm64'],
    ['a null variant', { ...valid(), variants: { x86_64: null } }, /manifest field variants\.x86_64 must be the x86_64 variant/],
    ['an unknown arch', { ...valid(), variants: { ppc64: variant('ppc64') } }, 'images/deb.json: manifest field variants.ppc64 is not allowed: variants must be an object keyed by architecture (x86_64, arm64) with at least one variant'],
    ['a short sha256', { ...valid(), variants: { x86_64: { ...variant('x86_64'), kernel: { ...asset('linux', 'a'), sha256: 'abc' } } } }, 'images/deb.json: manifest field variants.x86_64.kernel.sha256 must be 64 lower-case hex digits'],
    ['a path as asset name', { ...valid(), variants: { x86_64: { ...variant('x86_64'), initrd: asset('../etc/passwd', 'b') } } }, 'images/deb.json: manifest field variants.x86_64.initrd.name must be a plain file name'],
    ['a negative size', { ...valid(), variants: { x86_64: { ...variant('x86_64'), initrd: { ...asset('i', 'b'), size: -1 } } } }, 'images/deb.json: manifest field variants.x86_64.initrd.size must be a byte count'],
    ['an unknown compression', { ...valid(), variants: { x86_64: { ...variant('x86_64'), compression: 'lzma' } } }, `images/deb.json: manifest field variants.x86_64.compression must be one of ${COMPRESSIONS.join(', ')}`],
    ['a cmdline with a number', { ...valid(), variants: { x86_64: { ...variant('x86_64'), cmdline: ['a', 1] } } }, 'images/deb.json: manifest field variants.x86_64.cmdline.1 must be a string'],
  ])('refuses %s, naming the file and the field', (_what, manifest, message) => {
    if (typeof message === 'string') expect(problem(manifest)).toBe(message);
    else expect(problem(manifest)).toMatch(message);
  });

  it('takes every type, arch and compression from the lists the TypeScript types are made of', () => {
    for (const type of IMAGE_TYPES) expect(parseManifest(JSON.stringify({ ...valid(), type }), 'x').type).toBe(type);
    for (const compression of COMPRESSIONS) {
      for (const arch of ARCHES) {
        const manifest = { ...valid(), variants: { [arch]: { ...variant(arch), compression } } };
        expect(parseManifest(JSON.stringify(manifest), 'x').variants[arch]?.compression).toBe(compression);
      }
    }
  });
});
