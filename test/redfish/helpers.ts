/** A Redfish simulator on loopback and a provider configured against it, with fast timings. */
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { RedfishCall, RedfishProvider } from '../../src/providers/redfish/index.js';
import { createRedfishProvider } from '../../src/providers/redfish/index.js';
import type { Quirks, RedfishSimulator, RedfishSimulatorOptions } from '../../src/sim/redfish/index.js';
import { createRedfishSimulator } from '../../src/sim/redfish/index.js';

export const PASSWORD = 'Sw0rdf1sh-Secret-9731';
export const USERNAME = 'operator';

export interface Rig {
  readonly sim: RedfishSimulator;
  readonly url: string;
  readonly config: Config;
  readonly provider: RedfishProvider;
  readonly calls: RedfishCall[];
  readonly logs: string[];
  close(): Promise<void>;
}

export function configFor(url: string, extra = ''): Config {
  const text = [
    'images:',
    '  ram: { type: files, variants: { x86_64: { kernel: /k, initrd: /i } } }',
    'devices:',
    '  web-1:',
    '    image: ram',
    '    macs: [12:44:6a:3b:04:11]',
    '    bmc:',
    `      url: ${url}`,
    '      username_env: TEST_BMC_USER',
    '      password_env: TEST_BMC_PASSWORD',
    ...(extra ? extra.split('\n').map((line) => `      ${line}`) : []),
  ].join('\n');
  return parseConfig(text, '/tmp/metalboot-redfish-test.yaml');
}

export async function startRig(options: { quirks?: Partial<Quirks>; sim?: RedfishSimulatorOptions; bmcExtra?: string } = {}): Promise<Rig> {
  const sim = createRedfishSimulator({ users: [{ username: USERNAME, password: PASSWORD }], timings: { powerMs: 30 }, ...options.sim, quirks: { ...options.sim?.quirks, ...options.quirks } });
  const { url } = await sim.listen();
  const config = configFor(url, options.bmcExtra);
  const calls: RedfishCall[] = [];
  const logs: string[] = [];
  const provider = createRedfishProvider({
    config,
    env: { TEST_BMC_USER: USERNAME, TEST_BMC_PASSWORD: PASSWORD },
    log: (line) => logs.push(line),
    onCall: (_device, call) => calls.push(call),
    client: { sleep: async () => {}, baseDelayMs: 1, maxDelayMs: 5 },
    reset: { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))), confirmDelayMs: 10, confirmReads: 3 },
  });
  return {
    sim, url, config, provider, calls, logs,
    async close() {
      await provider.close();
      await sim.close();
    },
  };
}

/** Waits until `check` holds (the simulator's state machine runs on timers). */
export async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the simulator');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `PATCH /redfish/v1/Systems/… 200` lines of what the simulator received (its own record). */
export function received(sim: RedfishSimulator): string[] {
  return sim.requests().map((r) => `${r.method} ${r.path} ${r.status ?? '-'}${r.ifMatch === undefined ? '' : ` If-Match: ${r.ifMatch}`}`);
}

/** Compiles the simulator's schema validators once per test file (seconds on a busy machine). */
export async function warmSimulator(): Promise<void> {
  const sim = createRedfishSimulator({});
  await sim.listen();
  await sim.close();
}
