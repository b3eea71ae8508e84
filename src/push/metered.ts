/** A file's bytes as chunks, each reported to `onBytes` as it passes (push progress). */
import { createReadStream } from 'node:fs';

export async function* meteredChunks(file: string, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    onBytes(chunk.length);
    yield chunk;
  }
}
