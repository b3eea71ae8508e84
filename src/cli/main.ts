#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { MetalbootError } from '../errors.js';
import { registerRender } from './render.js';
// Each command lives in its own file and registers itself here (one line per command).
import { registerBuild } from './build.js';
import { registerServe } from './serve.js';
import { registerReimage } from './reimage.js';
import { registerDevices } from './devices.js';
import { registerConsole } from './console.js';
import { registerMetalSim } from './metal-sim.js';
import { registerPush } from './push.js';
import { registerBootTest } from './boot-test.js';
import { registerDemo } from './demo.js';
import { registerMirror } from './mirror.js';
// COMMANDS:END

export function createProgram(): Command {
  const program = new Command('metalboot')
    .description(
      'Build netboot images, render per-device iPXE scripts, serve them, and re-image bare-metal servers.\n' +
        'Config: ./metalboot.yaml, or --config FILE, or $METALBOOT_CONFIG.',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRender(program);
  registerBuild(program);
  registerServe(program);
  registerReimage(program);
  registerDevices(program);
  registerConsole(program);
  registerMetalSim(program);
  registerPush(program);
  registerBootTest(program);
  registerDemo(program);
  registerMirror(program);
  // REGISTER:END
  return program;
}

export const VERSION = '0.1.0';

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error);
  }
}

export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander already printed help/version/usage text.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof MetalbootError) {
    process.stderr.write(`metalboot: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
    if (process.env.METALBOOT_DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(`metalboot: unexpected error: ${err.message}\n${err.stack ?? ''}\n`);
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
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
