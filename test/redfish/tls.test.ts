/** HTTPS BMCs: a private CA through tls.ca_file, an explicit insecure: true, and a refusal otherwise. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedfishProvider } from '../../src/providers/redfish/index.js';
import { createRedfishSimulator } from '../../src/sim/redfish/index.js';
import type { RedfishSimulator } from '../../src/sim/redfish/index.js';
import { PASSWORD, USERNAME, configFor } from './helpers.js';

const OPENSSL = existsSync('/usr/bin/openssl');
let dir: string;
let sim: RedfishSimulator;
let url: string;

beforeAll(async () => {
  if (!OPENSSL) return;
  dir = mkdtempSync(join(tmpdir(), 'metalboot-tls-'));
  await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=metalboot test CA',
    '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem')]);
  await execa('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'bmc.key'), '-out', join(dir, 'bmc.csr')]);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await execa('openssl', ['x509', '-req', '-in', join(dir, 'bmc.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-days', '2',
    '-extfile', join(dir, 'san.ext'), '-out', join(dir, 'bmc.pem')]);
  sim = createRedfishSimulator({ users: [{ username: USERNAME, password: PASSWORD }] });
  url = (await sim.listen({ tls: { cert: readFileSync(join(dir, 'bmc.pem')), key: readFileSync(join(dir, 'bmc.key')) } })).url;
}, 120_000);
afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function providerWith(bmcExtra: string) {
  return createRedfishProvider({ config: configFor(url, bmcExtra), env: { TEST_BMC_USER: USERNAME, TEST_BMC_PASSWORD: PASSWORD }, client: { retries: 0 } });
}

describe.skipIf(!OPENSSL)('a BMC behind HTTPS', () => {
  it('is trusted through tls.ca_file', async () => {
    const provider = providerWith(`tls: { ca_file: ${join(dir, 'ca.pem')} }`);
    expect((await provider.getDevice('web-1')).power).toBe('On');
    await provider.close();
  });

  it('is refused when its certificate is not from a trusted CA, with a hint about the TLS settings', async () => {
    const provider = providerWith('');
    const before = sim.requests().length;
    await expect(provider.getDevice('web-1')).rejects.toMatchObject({
      message: expect.stringContaining(`read the service root on the BMC of web-1 failed (`),
      hint: expect.stringContaining('TLS settings (tls.ca_file or insecure)'),
    });
    expect(sim.requests()).toHaveLength(before); // the refused TLS handshake reached no handler
  });

  it('is accepted without verification only with insecure: true', async () => {
    const provider = providerWith('insecure: true');
    expect((await provider.getDevice('web-1')).power).toBe('On');
    await provider.close();
  });
});
