/**
 * What a command may touch of its process: two output streams and the environment. runCli gets
 * them from its caller (tests pass their own) and defaults to the process's; commands read and
 * write only through them.
 */

export interface CliStream extends NodeJS.WritableStream {
  /** Progress bars and live status lines are drawn only on a terminal. */
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Writes one JSON document (for --json). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
