/**
 * The open-file limit of the serving process: every connection is a descriptor. Node raises the soft
 * RLIMIT_NOFILE to the hard limit at start-up on Linux; when that did not happen (soft < hard), this
 * raises it with util-linux `prlimit` on our own pid (Node has no setrlimit). Best-effort: the caller
 * logs what it found.
 */
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';

export interface NofileLimit {
  readonly soft: number | undefined;
  readonly hard: number | undefined;
  /** What was done: 'already at the hard limit', 'raised with prlimit', or why it could not be. */
  readonly action: string;
}

async function readLimit(): Promise<{ soft: number | undefined; hard: number | undefined }> {
  const text = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  const value = (field: string | undefined): number | undefined => (field === undefined ? undefined : field === 'unlimited' ? Infinity : Number(field));
  return { soft: value(match?.[1]), hard: value(match?.[2]) };
}

export async function raiseNofile(): Promise<NofileLimit> {
  const { soft, hard } = await readLimit();
  if (soft === undefined || hard === undefined) return { soft, hard, action: 'unknown (no /proc/self/limits)' };
  if (soft >= hard) return { soft, hard, action: 'already at the hard limit' };
  const target = hard === Infinity ? 'unlimited' : String(hard);
  try {
    await execa('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${target}`]);
  } catch (error) {
    return { soft, hard, action: `prlimit failed: ${(error as { shortMessage?: string }).shortMessage ?? String(error)}` };
  }
  return { ...(await readLimit()), action: 'raised with prlimit' };
}
