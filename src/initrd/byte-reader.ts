/**
 * Pulls exact byte counts out of an async chunk source, in time linear in the bytes consumed: a
 * request is served from the first buffered chunk when it holds enough (a view, no copy), and only
 * the bytes asked for are ever joined. `skip` and `skipZeros` consume without holding what they pass.
 */
import { BuildError } from '../errors.js';

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

  /** The first `n` bytes (fewer at the end of the source), joined from as few chunks as needed. */
  private front(n: number): Buffer {
    const first = this.buffered[0];
    if (!first) return Buffer.alloc(0);
    if (first.length >= n) return first.subarray(0, n);
    let count = 0;
    let k = 0;
    while (count < n && k < this.buffered.length) count += this.buffered[k++]!.length;
    const joined = Buffer.concat(this.buffered.slice(0, k), count);
    this.buffered.splice(0, k, joined);
    return joined.subarray(0, n);
  }

  private drop(n: number): void {
    let left = n;
    while (left > 0) {
      const first = this.buffered[0]!;
      if (first.length <= left) {
        this.buffered.shift();
        left -= first.length;
      } else {
        this.buffered[0] = first.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    this.offset += n;
  }

  async peek(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.front(n);
  }

  async read(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw this.truncated(n);
    const out = this.front(n);
    this.drop(n);
    return out;
  }

  /** Consumes `n` bytes without keeping them (memory: one source chunk at a time). */
  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill(1))) throw this.truncated(left);
      const step = Math.min(left, this.buffered[0]!.length);
      this.drop(step);
      left -= step;
    }
  }

  /** Consumes zero bytes up to the next non-zero byte or the end; linear in the zeros skipped. */
  async skipZeros(): Promise<void> {
    while (await this.fill(1)) {
      const first = this.buffered[0]!;
      let i = 0;
      while (i < first.length && first[i] === 0) i++;
      this.drop(i);
      if (i < first.length) return;
    }
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  private truncated(wanted: number): BuildError {
    return new BuildError(`cpio archive is truncated at byte ${this.offset + this.length} (wanted ${wanted - this.length} more bytes)`);
  }
}
