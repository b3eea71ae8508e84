import { describe, expect, it } from 'vitest';
import { backoffMs, buildUrl, parseRetryAfter } from '../../src/providers/metal/http.js';
import { MetalClient } from '../../src/providers/metal/client.js';
import { createMetalClient } from '../../src/providers/metal/index.js';

describe('http helpers', () => {
  it('builds URLs with only the query values given', () => {
    expect(buildUrl('https://api.equinix.com/metal/v1/', '/projects/p/devices', { page: 2, per_page: 1000, hostname: undefined }))
      .toBe('https://api.equinix.com/metal/v1/projects/p/devices?page=2&per_page=1000');
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs({ ...options, random: () => 0 }, n))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs({ ...options, random: () => 1 }, n))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffMs({ ...options, random: () => 0.5 }, 1, 7_000)).toBe(4_000);
  });

  it('reads token, project and API URL from the environment, with --api-url winning', () => {
    const client = createMetalClient({ env: { METAL_AUTH_TOKEN: 't', METAL_PROJECT_ID: 'p', METAL_API_URL: 'http://127.0.0.1:1/metal/v1' } });
    expect([client.apiUrl, client.projectId]).toEqual(['http://127.0.0.1:1/metal/v1', 'p']);
    expect(createMetalClient({ env: { METAL_AUTH_TOKEN: 't', METAL_API_URL: 'http://a' }, apiUrl: 'http://b/' }).apiUrl).toBe('http://b');
    expect(new MetalClient({ token: 't' }).apiUrl).toBe('https://api.equinix.com/metal/v1');
  });

  it('sends X-Auth-Token and JSON to an injected fetch, and keeps the token out of recorded calls, logs and the rest of the request', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const logs: string[] = [];
    const client = new MetalClient({
      token: 'tok-xyz', apiUrl: 'http://api.test/metal/v1', projectId: 'p', sleep: async () => {}, random: () => 0.5,
      fetch: async (url, init) => (seen.push({ url, init }), new Response(JSON.stringify({ id: 'd' }), { status: seen.length === 1 ? 503 : 200 })),
      log: (line) => logs.push(line),
      onCall: (call) => expect(JSON.stringify(call)).not.toContain('tok-xyz'),
    });
    await client.updateDevice('d', { always_pxe: true });
    expect(seen).toHaveLength(2);
    expect(logs.join('\n')).toContain('HTTP 503; retry');
    const { 'X-Auth-Token': _token, ...otherHeaders } = seen[0]!.init.headers as Record<string, string>;
    expect(JSON.stringify({ logs, url: seen[0]!.url, body: seen[0]!.init.body, otherHeaders })).not.toContain('tok-xyz');
    expect(seen[0]!.url).toBe('http://api.test/metal/v1/devices/d');
    expect(seen[0]!.init.method).toBe('PUT');
    expect(seen[0]!.init.headers).toMatchObject({ 'X-Auth-Token': 'tok-xyz', 'Content-Type': 'application/json' });
    expect(seen[0]!.init.body).toBe('{"always_pxe":true}');
    expect(seen[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });
});
