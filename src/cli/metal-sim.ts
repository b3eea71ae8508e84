/** `metalboot metal-sim`: run the local Equinix Metal API simulator (spec-validated) for demos and trials. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { MetalbootError, UsageError } from '../errors.js';
import type { SimDeviceSeed } from '../sim/metal/index.js';
import type { CliIo } from './io.js';

interface SimOptions {
  listen: string;
  devices?: string;
  projectId?: string;
  fast?: boolean;
}

export function registerMetalSim(program: Command, io: CliIo): void {
  program
    .command('metal-sim')
    .option('--listen <host:port>', 'where to listen (127.0.0.1 only)', '127.0.0.1:0')
    .option('--devices <file>', 'YAML/JSON list of devices: [{hostname, id?, operatingSystem?, alwaysPxe?, macs?, ...}]')
    .option('--project-id <uuid>', 'project id to simulate (default: random)')
    .option('--fast', 'state changes in milliseconds instead of seconds')
    .summary('run a local Equinix Metal API simulator')
    .description('Serve the Metal device API on 127.0.0.1, validating every request and response against the official spec. Prints the METAL_API_URL and METAL_PROJECT_ID to use. Any X-Auth-Token is accepted.')
    .action(async (options: SimOptions) => {
      const { createMetalSimulator } = await import('../sim/metal/index.js');
      const match = /^(127\.0\.0\.1|localhost):(\d{1,5})$/.exec(options.listen);
      if (!match) throw new UsageError(`--listen must be 127.0.0.1:PORT, got "${options.listen}"`);
      const devices = options.devices === undefined ? [{ hostname: 'web-1', operatingSystem: 'custom_ipxe' }, { hostname: 'db-1' }] : await readSeeds(options.devices);
      const sim = createMetalSimulator({
        devices,
        ...(options.projectId ? { projectId: options.projectId } : {}),
        ...(options.fast ? { timings: { rebootMs: 200, reinstallMs: 500, powerMs: 200, provisionMs: 500 } } : {}),
        hooks: { onBoot: (device, boot) => void io.stderr.write(`metal-sim: ${device.hostname} boots (${boot.reason})${boot.ipxeScriptUrl ? ` → ${boot.ipxeScriptUrl}` : ''}\n`) },
      });
      const { apiUrl } = await sim.listen(Number(match[2]));
      io.stdout.write(`METAL_API_URL=${apiUrl}\nMETAL_PROJECT_ID=${sim.projectId}\n`);
      for (const device of sim.world.devices.values()) io.stdout.write(`device ${device.id} ${device.hostname} ${device.operatingSystem}\n`);
      // Runs until the process is told to stop; then the exit code says whether the spec was kept.
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sim.close();
      const problems = sim.violations();
      if (problems.length > 0) {
        io.stderr.write(`metal-sim: ${problems.length} spec violations:\n${problems.join('\n')}\n`);
        throw new MetalbootError(`the simulator saw ${problems.length} spec violation(s), listed above`);
      }
    });
}

async function readSeeds(file: string): Promise<SimDeviceSeed[]> {
  const value = parse(await readFile(file, 'utf8')) as unknown;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || typeof (item as { hostname?: unknown }).hostname !== 'string')) {
    throw new UsageError(`${file}: expected a list of devices, each with a hostname`);
  }
  return value as SimDeviceSeed[];
}
