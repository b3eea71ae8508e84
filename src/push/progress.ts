/** A progress bar on stderr (cli-progress) when stderr is a terminal; silent otherwise. */
import cliProgress from 'cli-progress';
import type { PushProgress } from './push.js';

export function terminalProgress(stream: NodeJS.WritableStream & { readonly isTTY?: boolean }): PushProgress | undefined {
  if (!stream.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream, format: 'push {bar} {percentage}% | {value_mb}/{total_mb} MB | {file}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let total = 0;
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  return {
    start(totalBytes) {
      total = totalBytes;
      if (total > 0) bar.start(total, 0, { value_mb: mb(0), total_mb: mb(total), file: '' });
    },
    advance(bytes, label) {
      done += bytes;
      if (total > 0) bar.update(done, { value_mb: mb(done), total_mb: mb(total), file: label });
    },
    stop() {
      if (total > 0) bar.stop();
    },
  };
}
