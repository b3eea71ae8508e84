import { describe, expect, it } from 'vitest';
import { bootRuns, parseArches, parseFirmwares } from '../../src/boot-test/runs.js';
import { UsageError } from '../../src/errors.js';
import { bootExpectations, bootTarget } from '../../src/boot-test/target.js';
import { config, manifest, SECRET } from './fixtures.js';

describe('which VMs boot-test starts', () => {
  it.each([
    ['x86_64', undefined, ['x86_64 bios', 'x86_64 uefi']],
    ['x86_64', 'bios', ['x86_64 bios']],
    ['arm64', undefined, ['arm64 uefi']],
    ['arm64', 'uefi', ['arm64 uefi']],
    ['arm64', 'both', ['arm64 uefi']],
    ['both', undefined, ['x86_64 bios', 'x86_64 uefi', 'arm64 uefi']],
    ['both', 'bios', ['x86_64 bios', 'arm64 uefi']],
  ])('--arch %s --firmware %s boots %j', (arch, firmware, expected) => {
    const runs = bootRuns(parseArches(arch), firmware === undefined ? undefined : parseFirmwares(firmware));
    expect(runs.map((run) => `${run.arch} ${run.firmware}`)).toEqual(expected);
  });

  it('refuses arm64 under BIOS alone, and unknown values, as usage errors', () => {
    expect(() => bootRuns(['arm64'], ['bios'])).toThrow(UsageError);
    expect(() => bootRuns(['arm64'], ['bios'])).toThrow('arm64 VMs boot under UEFI only');
    expect(() => parseArches('aarch64')).toThrow('--arch must be x86_64, arm64 or both, got "aarch64"');
    expect(() => parseFirmwares('efi')).toThrow('--firmware must be bios, uefi or both, got "efi"');
  });
});

describe('what an arm64 boot must show', () => {
  it('the arm64 variant\'s kernel line with the arm64 console, read on ttyAMA0', () => {
    const target = bootTarget(config, 'web-1', 8080);
    const variant = { ...manifest.variants.x86_64!, arch: 'arm64' as const, initrd: { name: 'initrd', sha256: 'c'.repeat(64), size: 1 }, compression: 'none' as const };
    const dual = { ...manifest, variants: { ...manifest.variants, arm64: variant } };
    const expected = bootExpectations(target, dual, SECRET, 'arm64');
    expect(expected.console).toBe('ttyAMA0');
    expect(expected.kernelArgs.at(-1)).toBe('console=ttyAMA0,115200');
    expect(bootExpectations(target, dual, SECRET, 'x86_64')).toMatchObject({ console: 'ttyS1' });
  });

  it('reads ttyAMA0 on arm64 even when the device names ttyS0 as its console (the VM has no other port)', () => {
    const target = bootTarget(config, 'web-1', 8080);
    const device = { ...target.device, kernelArgs: ['console=ttyS0,115200'] };
    const dual = { ...manifest, variants: { ...manifest.variants, arm64: { ...manifest.variants.x86_64!, arch: 'arm64' as const } } };
    expect(bootExpectations({ ...target, device }, dual, SECRET, 'arm64').console).toBe('ttyAMA0');
    expect(bootExpectations({ ...target, device }, dual, SECRET, 'x86_64').console).toBe('ttyS0');
  });
});
