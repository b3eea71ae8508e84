/** Small filesystem questions. */
import { stat } from 'node:fs/promises';

/** Whether `path` is a regular file (false when it is missing, a directory, or unreadable). */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
