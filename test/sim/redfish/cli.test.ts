import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

describe('metalboot redfish-sim', () => {
  it('prints where it listens and the account, serves the profile it was given, and exits 0 without violations', async () => {
    const child = execa('node', ['--import', 'tsx', 'src/cli/main.ts', 'redfish-sim', '--profile', 'no-continuous', '--fault', 'status:get:1', '--power-seconds', '0.05'], { reject: false, env: { METALBOOT_REDFISH_SIM_PASSWORD: '' } });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no REDFISH_URL line: ${out}`)), 110_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/METALBOOT_BMC_PASSWORD=\S+\n[\s\S]*system /.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const url = /REDFISH_URL=(\S+)/.exec(out)![1]!;
    const password = /METALBOOT_BMC_PASSWORD=(\S+)/.exec(out)![1]!;
    expect(out).toContain('METALBOOT_BMC_USERNAME=admin\n');
    expect(out).toMatch(/system 437XR1138R2 On 12:44:6a:3b:04:11,12:44:6a:3b:88:90/);
    const auth = { Authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
    expect((await fetch(`${url}/redfish/v1/Systems/437XR1138R2`, { headers: auth })).status).toBe(500); // the injected fault
    const system = (await (await fetch(`${url}/redfish/v1/Systems/437XR1138R2`, { headers: auth })).json()) as { Boot: Record<string, unknown> };
    expect(system.Boot['BootSourceOverrideEnabled@Redfish.AllowableValues']).toBeUndefined();
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toContain('violations');
  }, 150_000);
});
