/** `metalboot redfish-sim`: a local Redfish service (DMTF mockup, schema-validated, quirk profiles, faults). */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { MetalbootError, UsageError } from '../errors.js';
import type { CliIo } from './io.js';

interface RedfishSimOptions {
  listen: string;
  systems?: string;
  profile: string[];
  fault: string[];
  user: string;
  tlsCert?: string;
  tlsKey?: string;
  powerSeconds: string;
  listProfiles?: boolean;
  vmSocket?: string;
  vmBootUrl: string;
  vmFirmware: string;
  vmDir?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRedfishSim(program: Command, io: CliIo): void {
  program
    .command('redfish-sim')
    .option('--listen <host:port>', 'where to listen (loopback only)', '127.0.0.1:0')
    .option('--systems <file>', 'YAML/JSON list of systems: [{ id, name?, hostName?, macs?, powerState? }] (default: the mockup system 437XR1138R2)')
    .option('--profile <names>', 'quirk profile(s), comma-separated or repeated (see --list-profiles)', collect, [])
    .option('--fault <spec>', 'inject a fault: KIND[:OPERATION][:TIMES][@MS], e.g. status:patch:2, post:patch:3, delay:get@1500, after-effect:reset:1 (repeatable)', collect, [])
    .option('--user <name>', 'the account name; its password is $METALBOOT_REDFISH_SIM_PASSWORD, else generated and printed', 'admin')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--power-seconds <n>', 'how long powering off, and on, take', '2')
    .option('--list-profiles', 'print the quirk profiles and exit')
    .option('--vm-socket <path>', 'back each system with a QEMU VM: a Pxe boot starts it, booting from the metalboot server on this unix socket (serve --socket PATH); a disk boot or power-off stops it')
    .option('--vm-boot-url <url>', 'with --vm-socket: the DHCP boot file the VM\'s iPXE gets (the server as the VM sees it)', 'http://10.0.2.2:8080/boot.ipxe')
    .option('--vm-firmware <bios|uefi>', 'with --vm-socket: the VMs\' firmware', 'bios')
    .option('--vm-dir <dir>', 'with --vm-socket: where each VM\'s console logs go (default: a new directory under /tmp)')
    .summary('run a local Redfish service (BMC simulator)')
    .description(
      "Serve DMTF's public-rackmount1 mockup as a live Redfish service on loopback: sessions, Basic auth, ETags, If-Match, " +
        'task monitors, a power/boot state machine (a Once + Pxe override boots the network once, then the disk). ' +
        "Every request and answer is checked against DMTF's JSON schemas; violations are printed at exit (exit code 1).",
    )
    .addHelpText('after', '\nExamples:\n  metalboot redfish-sim --listen 127.0.0.1:8443\n  metalboot redfish-sim --profile strict-if-match,no-continuous --fault post:patch:2\n  metalboot redfish-sim --systems systems.yaml --profile async-reset\n' +
      '  metalboot serve --socket /tmp/mb.sock --public-url http://10.0.2.2:8080 &   # then:\n  metalboot redfish-sim --systems systems.yaml --vm-socket /tmp/mb.sock --vm-firmware uefi')
    .action(async (options: RedfishSimOptions) => {
      const { createRedfishSimulator, createRedfishVmBacking, parseFault, parseSystemSeeds, PROFILES, quirksOf } = await import('../sim/redfish/index.js');
      if (options.listProfiles) {
        for (const [name, profile] of Object.entries(PROFILES)) io.stdout.write(`${name.padEnd(24)} ${profile.summary}\n`);
        return;
      }
      const match = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost):(\d{1,5})$/.exec(options.listen);
      if (!match) throw new UsageError(`--listen must be 127.0.0.1:PORT, got "${options.listen}"`);
      const powerSeconds = Number(options.powerSeconds);
      if (!Number.isFinite(powerSeconds) || powerSeconds < 0 || powerSeconds > 600) throw new UsageError(`--power-seconds must be 0–600, got "${options.powerSeconds}"`);
      if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
      if (options.vmFirmware !== 'bios' && options.vmFirmware !== 'uefi') throw new UsageError(`--vm-firmware must be bios or uefi, got "${options.vmFirmware}"`);
      const vmDir = options.vmSocket ? options.vmDir ?? (await mkdtemp(join(tmpdir(), 'metalboot-redfish-vms-'))) : undefined;
      const backing = options.vmSocket && vmDir
        ? createRedfishVmBacking({ serverSocket: options.vmSocket, bootUrl: options.vmBootUrl, workRoot: vmDir, firmware: options.vmFirmware })
        : undefined;
      const given = io.env.METALBOOT_REDFISH_SIM_PASSWORD;
      const password = given || randomBytes(12).toString('base64url');
      const sim = createRedfishSimulator({
        ...(options.systems ? { systems: parseSystemSeeds(await readFile(options.systems, 'utf8'), options.systems) } : {}),
        quirks: quirksOf(options.profile),
        faults: options.fault.map(parseFault),
        users: [{ username: options.user, password }],
        timings: { powerMs: powerSeconds * 1000 },
        hooks: {
          onReset: async (system, boot) => {
            io.stderr.write(`redfish-sim: ${system.id} boots from ${boot.target}${boot.uri ? ` (${boot.uri})` : ''}\n`);
            await backing?.hooks.onReset?.(system, boot);
            const vm = backing?.vm(system.id);
            if (vm) io.stderr.write(`redfish-sim: ${system.id} is a QEMU VM now; console: ${vm.consoleLog}\n`);
          },
          ...(backing?.hooks.onPowerOff ? { onPowerOff: backing.hooks.onPowerOff } : {}),
        },
      });
      const tls = options.tlsCert && options.tlsKey ? { cert: await readFile(options.tlsCert), key: await readFile(options.tlsKey) } : undefined;
      const { url } = await sim.listen({ host: match[1]!, port: Number(match[2]), ...(tls ? { tls } : {}) });
      io.stdout.write(`REDFISH_URL=${url}\nMETALBOOT_BMC_USERNAME=${options.user}\n`);
      if (!given) io.stdout.write(`METALBOOT_BMC_PASSWORD=${password}\n`);
      for (const system of sim.world.systems.values()) io.stdout.write(`system ${system.id} ${system.power} ${system.macs.join(',')}\n`);
      // Runs until the process is told to stop; then the exit code says whether the schemas were kept.
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sim.close();
      await backing?.stopAll();
      const problems = sim.violations();
      if (problems.length > 0) {
        io.stderr.write(`redfish-sim: ${problems.length} violations:\n${problems.join('\n')}\n`);
        throw new MetalbootError(`the simulator saw ${problems.length} schema violation(s), listed above`);
      }
    });
}
