/**
 * newc cpio reader, streaming: yields each entry with its data (entries in an initrd are small;
 * the archive as a whole is never held). Stops after TRAILER!!!; `readCpioArchives` continues
 * over concatenated archives separated by zero padding.
 */
import { BuildError } from '../errors.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, TRAILER, pad4 } from './cpio.js';

export interface CpioReadEntry {
  readonly name: string;
  readonly mode: number;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  readonly size: number;
  readonly mtime: number;
  readonly uid: number;
  readonly gid: number;
  readonly data: Buffer;
  /** Symlink target. */
  readonly target?: string;
}

const HEADER_SIZE = 110;

/** Pulls exact byte counts out of an async chunk source. */
export class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private done = false;
  /** Bytes consumed so far. */
  offset = 0;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else if (next.value.length > 0) {
        this.buffered.push(next.value);
        this.length += next.value.length;
      }
    }
    return this.length >= n;
  }

  async peek(n: number): Promise<Buffer> {
    await this.fill(n);
    const all = Buffer.concat(this.buffered);
    this.buffered = [all];
    return all.subarray(0, n);
  }

  async read(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new BuildError(`cpio archive is truncated at byte ${this.offset + this.length} (wanted ${n} more bytes)`);
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.length -= n;
    this.offset += n;
    return out;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }
}

function typeOf(mode: number): CpioReadEntry['type'] {
  switch (mode & S_IFMT) {
    case S_IFDIR: return 'dir';
    case S_IFREG: return 'file';
    case S_IFLNK: return 'symlink';
    default: return 'other';
  }
}

/** Reads one archive from `reader` (which sits at its first header). */
export async function* readCpioFrom(reader: ByteReader): AsyncGenerator<CpioReadEntry> {
  for (;;) {
    const head = (await reader.read(HEADER_SIZE)).toString('ascii');
    if (head.slice(0, 6) !== '070701' && head.slice(0, 6) !== '070702') {
      throw new BuildError(`not a newc cpio header at byte ${reader.offset - HEADER_SIZE} (magic ${JSON.stringify(head.slice(0, 6))})`);
    }
    const field = (i: number): number => Number.parseInt(head.slice(6 + i * 8, 14 + i * 8), 16);
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const name = (await reader.read(nameSize)).subarray(0, nameSize - 1).toString('utf8');
    await reader.read(pad4(HEADER_SIZE + nameSize));
    if (name === TRAILER) return;
    const data = Buffer.from(await reader.read(size));
    await reader.read(pad4(size));
    const type = typeOf(mode);
    yield {
      name, mode, type, size, mtime: field(5), uid: field(2), gid: field(3), data,
      ...(type === 'symlink' ? { target: data.toString('utf8') } : {}),
    };
  }
}

export async function* readCpio(source: AsyncIterable<Buffer>): AsyncGenerator<CpioReadEntry> {
  yield* readCpioFrom(new ByteReader(source[Symbol.asyncIterator]()));
}

/** Every entry of a run of uncompressed archives (as the kernel unpacks them: zero padding skipped). */
export async function* readCpioArchives(source: AsyncIterable<Buffer>): AsyncGenerator<CpioReadEntry> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  for (;;) {
    while (!(await reader.atEnd()) && (await reader.peek(1))[0] === 0) await reader.read(1);
    if (await reader.atEnd()) return;
    yield* readCpioFrom(reader);
  }
}

export async function listCpio(source: AsyncIterable<Buffer>): Promise<CpioReadEntry[]> {
  const out: CpioReadEntry[] = [];
  for await (const entry of readCpio(source)) out.push(entry);
  return out;
}
