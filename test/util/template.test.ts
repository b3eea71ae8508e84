import { describe, expect, it } from 'vitest';
import { RenderError } from '../../src/errors.js';
import { fillTemplate } from '../../src/util/template.js';

describe('fillTemplate (iPXE scripts and installer answers)', () => {
  it('fills {{name}} and {{ name }}', () => {
    expect(fillTemplate('a={{a}} b={{ b }}', { a: '1', b: '2' }, 'x.tmpl')).toBe('a=1 b=2');
  });

  it('fails on a placeholder without a value, naming it and what exists', () => {
    expect(() => fillTemplate('{{nope}}', { a: '1' }, 'ipxe/device.ipxe')).toThrow(RenderError);
    expect(() => fillTemplate('{{nope}}', { a: '1' }, 'ipxe/device.ipxe')).toThrow('ipxe/device.ipxe: template uses {{nope}}, which has no value');
  });

  it('never fills a placeholder from Object.prototype', () => {
    expect(() => fillTemplate('{{constructor}} {{toString}}', {}, 't')).toThrow(/\{\{constructor\}\}, which has no value/);
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf']) {
      expect(() => fillTemplate(`a={{${name}}}`, { a: '1' }, 't')).toThrow(`t: template uses {{${name}}}, which has no value`);
    }
  });
});
