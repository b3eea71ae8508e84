/** The mirror build's progress bar on stderr (cli-progress, as push), only when stderr is a terminal. */
import cliProgress from 'cli-progress';
import type { MirrorProgress } from './types.js';

export function terminalMirrorProgress(stream: NodeJS.WritableStream & { readonly isTTY?: boolean }): MirrorProgress | undefined {
  if (!stream.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream, format: 'mirror {bar} {percentage}% | {value_mb}/{total_mb} MB | {files} files | {file}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  let done = 0;
  let total = 0;
  let files = 0;
  return {
    start(totalBytes, count) {
      total = totalBytes;
      files = count;
      if (total > 0) bar.start(total, 0, { value_mb: mb(0), total_mb: mb(total), files, file: '' });
    },
    advance(bytes, label) {
      done += bytes;
      if (total > 0) bar.update(done, { value_mb: mb(done), total_mb: mb(total), files, file: label });
    },
    stop() {
      if (total > 0) bar.stop();
    },
  };
}
