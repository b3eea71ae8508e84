#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { MetalbootError } from '../errors.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { registerArm } from './arm.js';
import { registerBootTest } from './boot-test.js';
import { registerBuild } from './build.js';
import { registerConsole } from './console.js';
import { registerDemo } from './demo.js';
import { registerDevices } from './devices.js';
import { registerMetalSim } from './metal-sim.js';
import { registerRedfishSim } from './redfish-sim.js';
import { registerPush } from './push.js';
import { registerReimage } from './reimage.js';
import { registerRender } from './render.js';
import { registerServe } from './serve.js';
import { registerMirror } from './mirror.js';
import { registerSsh } from './ssh.js';

export const VERSION = '0.1.0';

/** The command tree; every command writes to `io` (commander's own help and usage text too). */
export function createProgram(io: CliIo = processIo()): Command {
  const program = new Command('metalboot')
    .description(
      'Build netboot images, render per-device iPXE scripts, serve them, and re-image bare-metal servers.\n' +
        'Config: ./metalboot.yaml, or --config FILE, or $METALBOOT_CONFIG.',
    )
    .version(VERSION)
    .configureOutput({ writeOut: (text) => void io.stdout.write(text), writeErr: (text) => void io.stderr.write(text) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // One file per command; the order here is the order of `metalboot --help`.
  registerRender(program, io);
  registerBuild(program, io);
  registerServe(program, io);
  registerReimage(program, io);
  registerArm(program, io);
  registerDevices(program, io);
  registerConsole(program, io);
  registerSsh(program, io);
  registerMetalSim(program, io);
  registerRedfishSim(program, io);
  registerPush(program, io);
  registerBootTest(program, io);
  registerDemo(program);
  registerMirror(program, io);
  return program;
}

/** Runs the CLI with the given streams and environment (default: the process's); returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = { ...processIo(), ...io };
  try {
    await createProgram(full).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, full);
  }
}

export function reportError(error: unknown, io: CliIo = processIo()): number {
  if (error instanceof CommanderError) {
    // commander already printed help/version/usage text.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof MetalbootError) {
    io.stderr.write(`metalboot: ${error.message}\n`);
    if (error.hint) io.stderr.write(`  hint: ${error.hint}\n`);
    if (io.env.METALBOOT_DEBUG && error.stack) io.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  io.stderr.write(`metalboot: unexpected error: ${err.message}\n${err.stack ?? ''}\n`);
  return 1;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // `metalboot … | head`: the reader went away, which is no failure of ours. Stop quietly, as cat does.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
