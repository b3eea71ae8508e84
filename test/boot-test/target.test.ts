import { describe, expect, it } from 'vitest';
import { bootExpectations, bootTarget } from '../../src/boot-test/target.js';
import { config, manifest } from './fixtures.js';

/** The boot token the test's armed boot carries (any value: it is rendered as given). */
const TOKEN = 'ab'.repeat(32);

describe('boot-test target', () => {
  it('boots a configured device by MAC with the public URL rewritten to where a VM sees the server', () => {
    const target = bootTarget(config, 'B4-96-91-AA-BB-01', 8080);
    expect([target.device.name, target.synthesized, target.config.server.publicUrl]).toEqual(['web-1', false, 'http://10.0.2.2:8080']);
    expect(bootExpectations(target, manifest, TOKEN, 'x86_64').kernelArgs).toEqual([
      'priority=critical', `url=http://10.0.2.2:8080/preseed/web-1.cfg?token=${TOKEN}`, 'quiet', 'metalboot.x=1', 'console=ttyS1,115200n8',
    ]);
    expect(bootExpectations(target, manifest, TOKEN, 'x86_64').console).toBe('ttyS1');
  });

  it('makes up a device for a bare image without clobbering one of the same name', () => {
    const target = bootTarget(config, 'deb', 8080);
    expect([target.device.name, target.synthesized, target.device.macs]).toEqual(['boot-test-1', true, ['52:54:00:b0:07:01']]);
    expect(Object.keys(target.config.devices)).toEqual(['web-1', 'boot-test', 'boot-test-1']);
    expect(config.devices['boot-test-1']).toBeUndefined();
  });

  it('names the images and devices when the argument is neither', () => {
    expect(() => bootTarget(config, 'nope', 8080)).toThrow(/"nope" is neither an image nor a device in \/etc\/metalboot.yaml/);
  });

  it('leaves out arguments the kernel prints in a form a token match cannot find', () => {
    const target = bootTarget(config, 'web-1', 8080);
    const device = { ...target.device, kernelArgs: ['opt="a b"', 'plain=1'] };
    expect(bootExpectations({ ...target, device }, manifest, TOKEN, 'x86_64').kernelArgs).not.toContain('opt="a b"');
    expect(bootExpectations({ ...target, device }, manifest, TOKEN, 'x86_64').kernelArgs).toContain('plain=1');
  });
});
