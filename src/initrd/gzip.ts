/** Reproducible gzip of a chunk stream (zlib writes mtime 0 and no file name). */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

export function gzipChunks(chunks: AsyncIterable<Buffer>): Readable {
  return Readable.from(chunks).pipe(createGzip({ level: 9 }));
}
