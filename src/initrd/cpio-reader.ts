/**
 * newc cpio reader, streaming: yields each entry with its data (entries in an initrd are small;
 * the archive as a whole is never held), or only its header when `withData` is false (then memory
 * stays at one source chunk whatever the entry sizes). Stops after TRAILER!!!; `readCpioArchives`
 * continues over concatenated archives separated by zero padding. Headers are checked field by
 * field, so garbage fails with the byte offset instead of reading a nonsense length.
 */
import { BuildError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, TRAILER, pad4 } from './cpio.js';

export { ByteReader } from './byte-reader.js';

export interface CpioReadEntry {
  readonly name: string;
  readonly mode: number;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  readonly size: number;
  readonly mtime: number;
  readonly uid: number;
  readonly gid: number;
  /** The entry's bytes (empty when read with `withData: false`, except for symlinks). */
  readonly data: Buffer;
  /** Symlink target. */
  readonly target?: string;
  /** Offset of the entry's header in the stream read. */
  readonly offset: number;
}

const HEADER_SIZE = 110;
const HEX8 = /^[0-9a-fA-F]{8}$/;
/** Longer names than the kernel's PATH_MAX are not a real initrd. */
const MAX_NAME = 4096;

function typeOf(mode: number): CpioReadEntry['type'] {
  switch (mode & S_IFMT) {
    case S_IFDIR: return 'dir';
    case S_IFREG: return 'file';
    case S_IFLNK: return 'symlink';
    default: return 'other';
  }
}

/** Reads one archive from `reader` (which sits at its first header). */
export async function* readCpioFrom(reader: ByteReader, withData = true): AsyncGenerator<CpioReadEntry> {
  for (;;) {
    const offset = reader.offset;
    const head = (await reader.read(HEADER_SIZE)).toString('latin1');
    if (head.slice(0, 6) !== '070701' && head.slice(0, 6) !== '070702') {
      throw new BuildError(`not a newc cpio header at byte ${offset} (magic ${JSON.stringify(head.slice(0, 6))})`);
    }
    const field = (i: number): number => {
      const text = head.slice(6 + i * 8, 14 + i * 8);
      if (!HEX8.test(text)) throw new BuildError(`cpio header at byte ${offset} is damaged: field ${i + 1} is ${JSON.stringify(text)}, not 8 hex digits`);
      return Number.parseInt(text, 16);
    };
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    if (nameSize < 1 || nameSize > MAX_NAME) throw new BuildError(`cpio header at byte ${offset} is damaged: name size ${nameSize} (must be 1..${MAX_NAME})`);
    const rawName = await reader.read(nameSize);
    if (rawName[nameSize - 1] !== 0) throw new BuildError(`cpio header at byte ${offset} is damaged: its name is not NUL-terminated`);
    const name = rawName.subarray(0, nameSize - 1).toString('utf8');
    await reader.skip(pad4(HEADER_SIZE + nameSize));
    if (name === TRAILER) return;
    const type = typeOf(mode);
    const keep = withData || type === 'symlink';
    const data = keep ? Buffer.from(await reader.read(size)) : Buffer.alloc(0);
    if (!keep) await reader.skip(size);
    await reader.skip(pad4(size));
    yield {
      name, mode, type, size, mtime: field(5), uid: field(2), gid: field(3), data, offset,
      ...(type === 'symlink' ? { target: data.toString('utf8') } : {}),
    };
  }
}

export async function* readCpio(source: AsyncIterable<Buffer>): AsyncGenerator<CpioReadEntry> {
  yield* readCpioFrom(new ByteReader(source[Symbol.asyncIterator]()));
}

/** Every entry of a run of uncompressed archives (as the kernel unpacks them: zero padding skipped). */
export async function* readCpioArchives(source: AsyncIterable<Buffer>, withData = true): AsyncGenerator<CpioReadEntry> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  for (;;) {
    await reader.skipZeros();
    if (await reader.atEnd()) return;
    yield* readCpioFrom(reader, withData);
  }
}

export async function listCpio(source: AsyncIterable<Buffer>): Promise<CpioReadEntry[]> {
  const out: CpioReadEntry[] = [];
  for await (const entry of readCpio(source)) out.push(entry);
  return out;
}
