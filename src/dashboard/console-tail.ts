/**
 * The serial console tail of a QEMU device, when the QEMU provider has one in this server's state
 * dir (`<state_dir>/qemu/<device>/ttyS1.log`, or `ttyAMA0.log` on arm64): the last 64 KiB read,
 * terminal escapes removed, the last 40 lines, device tokens hidden.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { redactTokens } from '../config/device-token.js';
import { deviceDir } from '../providers/qemu/device-state.js';
import { consoleText, lastLines } from '../vm/console-text.js';

const READ_BYTES = 64 * 1024;
const LINES = 40;
const PORTS = ['ttyS1.log', 'ttyAMA0.log'];

export async function consoleTail(stateDir: string, device: string): Promise<string | undefined> {
  for (const port of PORTS) {
    const text = await readEnd(join(deviceDir(stateDir, device), port));
    if (text !== undefined) return redactTokens(lastLines(consoleText(text), LINES).join('\n'));
  }
  return undefined;
}

async function readEnd(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, READ_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
