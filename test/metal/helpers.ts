/** Shared setup for Metal tests: a simulator on 127.0.0.1 and a client with no real waiting. */
import type { ApiCall } from '../../src/providers/metal/http.js';
import { MetalClient } from '../../src/providers/metal/client.js';
import { MetalProvider } from '../../src/providers/metal/provider.js';
import { createMetalSimulator } from '../../src/sim/metal/index.js';
import type { MetalSimulator, MetalSimulatorOptions } from '../../src/sim/metal/index.js';

export const TOKEN = 'tok-SECRET-7c1f0d2e9a';
export const CUSTOM_ID = '6f9d0c1e-1111-4a2b-9c3d-000000000001';
export const STOCK_ID = '6f9d0c1e-2222-4a2b-9c3d-000000000002';

export interface SimSetup {
  sim: MetalSimulator;
  apiUrl: string;
  client: MetalClient;
  provider: MetalProvider;
  calls: ApiCall[];
  /** Every request the client sent (URL and init, headers included). */
  requests: { url: string; init: RequestInit }[];
  logs: string[];
  sleeps: number[];
}

export async function startSim(options: MetalSimulatorOptions = {}, clientOptions: { retries?: number; timeoutMs?: number } = {}): Promise<SimSetup> {
  const sim = createMetalSimulator({
    token: TOKEN,
    timings: { rebootMs: 30, reinstallMs: 60, powerMs: 30, provisionMs: 60 },
    devices: [
      { id: CUSTOM_ID, hostname: 'web-1', operatingSystem: 'custom_ipxe', alwaysPxe: false, ipxeScriptUrl: 'http://old.example/ipxe/web-1', macs: ['b4:96:91:aa:bb:01', 'b4:96:91:aa:bb:02'] },
      { id: STOCK_ID, hostname: 'db-1', operatingSystem: 'ubuntu_22_04', tags: ['db'] },
    ],
    ...options,
  });
  const { apiUrl } = await sim.listen();
  const calls: ApiCall[] = [];
  const requests: { url: string; init: RequestInit }[] = [];
  const logs: string[] = [];
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const client = new MetalClient({
    token: TOKEN,
    projectId: sim.projectId,
    apiUrl,
    fetch: (url, init) => (requests.push({ url, init }), fetch(url, init)),
    sleep,
    random: () => 0.5,
    timeoutMs: clientOptions.timeoutMs ?? 2_000,
    retries: clientOptions.retries ?? 5,
    log: (line) => logs.push(line),
    onCall: (call) => calls.push(call),
  });
  const provider = new MetalProvider(client, { sleep, confirmDelayMs: 1, log: (line) => logs.push(line) });
  return { sim, apiUrl, client, provider, calls, requests, logs, sleeps };
}
