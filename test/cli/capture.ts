/** CLI streams for tests: runCli(argv, io) writes here instead of the process's stdout/stderr. */
import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';

export interface CapturedIo {
  readonly io: CliIo;
  out(): string;
  err(): string;
}

function collector(parts: string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      parts.push(String(chunk));
      callback();
    },
  });
}

/** Streams that keep what the CLI wrote, and exactly the environment given (nothing of the process's). */
export function captureIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: collector(out), stderr: collector(err), env }, out: () => out.join(''), err: () => err.join('') };
}
