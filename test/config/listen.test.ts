import { describe, expect, it } from 'vitest';
import { listenUrl, parseListenAddress } from '../../src/config/listen.js';
import { parseConfig } from '../../src/config/load.js';

describe('listen addresses (server.listen and serve --listen share one parser)', () => {
  it.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    [':80', { host: 'default.host', port: 80 }],
    ['boot.example.net:8080', { host: 'boot.example.net', port: 8080 }],
  ])('%s parses', (text, address) => {
    expect(parseListenAddress(text, 'default.host')).toEqual(address);
  });

  it.each(['8080', '0.0.0.0', 'a:70000', '[zz]:80', 'a:b:80'])('%s is refused', (text) => {
    expect(parseListenAddress(text, 'x')).toBeUndefined();
  });

  it('formats URLs with IPv6 hosts in brackets, and derives public_url from listen', () => {
    expect(listenUrl({ host: '::1', port: 8080 })).toBe('http://[::1]:8080');
    expect(parseConfig('server:\n  listen: "[::1]:9000"\n', '/srv/m.yaml').server.publicUrl).toBe('http://[::1]:9000');
    expect(parseConfig('server:\n  listen: ":9000"\n', '/srv/m.yaml').server.listen).toEqual({ host: '127.0.0.1', port: 9000 });
  });
});
