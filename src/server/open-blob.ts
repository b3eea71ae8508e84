/**
 * Opening a stored blob for reading: O_NOFOLLOW (no symlinks) and O_NONBLOCK (a FIFO planted in
 * assets/ cannot block a libuv thread in open()), then fstat: only a regular file is answered.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

export interface OpenBlob {
  readonly handle: FileHandle;
  readonly size: number;
}

/** The open blob and its size, or undefined when there is no regular file there. */
export async function openBlob(file: string): Promise<OpenBlob | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENXIO') return undefined;
    throw error;
  }
  const stats = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!stats.isFile()) {
    await handle.close();
    return undefined;
  }
  return { handle, size: stats.size };
}
