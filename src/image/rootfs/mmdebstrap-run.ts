/**
 * Runs mmdebstrap (the rootfs and disk builders): its I:/W:/E: lines go to the build log, the last
 * lines of its output into the error when it fails. SOURCE_DATE_EPOCH is the mirror's Release date.
 */
import { execa } from 'execa';
import { BuildError } from '../../errors.js';

export type BuildLog = (line: string) => void;

export async function runMmdebstrap(args: string[], epoch: number, log: BuildLog): Promise<void> {
  const tail: string[] = [];
  const child = execa('mmdebstrap', args, { env: { SOURCE_DATE_EPOCH: String(epoch) }, all: true, buffer: false, reject: false, stdin: 'ignore' });
  for await (const line of child.iterable({ from: 'all' })) {
    const text = String(line);
    tail.push(text);
    if (tail.length > 20) tail.shift();
    if (/^[IWE]: /.test(text)) log(`mmdebstrap: ${text}`);
  }
  const result = await child;
  if ((result as { code?: string }).code === 'ENOENT') throw new BuildError('mmdebstrap is not installed: it builds rootfs images', { hint: 'apt-get install mmdebstrap' });
  if (result.exitCode !== 0) {
    throw new BuildError(`mmdebstrap failed (exit ${result.exitCode ?? result.signal}): ${tail.slice(-5).join(' / ')}`, {
      hint: 'check the package names (images.*.packages), the suite and the mirror; the previous image still serves',
    });
  }
}

/** Seconds (one decimal) since the last lap. */
export function stopwatch(): { lap: () => number } {
  let last = Date.now();
  return {
    lap: () => {
      const now = Date.now();
      const seconds = Math.round((now - last) / 100) / 10;
      last = now;
      return seconds;
    },
  };
}
