import { read } from 'node:fs';
import { CappedBytes } from '../infrastructure/capped_bytes.js';

/**
 * Reads all of stdin as bytes, keeping at most `limit + 1` bytes: a payload over the cap is
 * reported as too large without being held in memory (the rest is read and dropped).
 */
export async function readStdinCapped(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const kept = new CappedBytes(limit + 1);
  for await (const chunk of stream) kept.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return kept.bytes();
}

/** Bytes asked for per read of the descriptor. */
const READ_CHUNK_BYTES = 64 * 1024;

/** What {@link readFdCapped} read: `eof` false when the descriptor would block (see there). */
export interface FdRead {
  data: Buffer;
  eof: boolean;
}

/**
 * Reads descriptor `fd` (stdin: 0) to EOF with `fs.read` in the thread pool, with the same cap as
 * {@link readStdinCapped}. Cheaper than `process.stdin`, whose stream and pipe handle cost ~5 ms
 * of every wrapper start (docs/benchmarks.md, B9). Stops with `eof: false` when the descriptor is
 * non-blocking and has nothing yet (EAGAIN): the caller reads the rest from the stream. Any other
 * error ends the input (a closed descriptor reads as empty). Resolves with what it has once
 * `signal` fires: a read already handed to the thread pool cannot be cancelled, so the caller must
 * then exit rather than wait for it.
 */
export function readFdCapped(fd: number, limit: number, signal?: AbortSignal): Promise<FdRead> {
  return new Promise((resolve) => {
    const kept = new CappedBytes(limit + 1);
    let done = false;
    const finish = (eof: boolean) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      resolve({ data: kept.bytes(), eof });
    };
    const onAbort = () => finish(true);
    signal?.addEventListener('abort', onAbort, { once: true });
    const step = () => {
      const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      read(fd, buffer, 0, buffer.length, null, (error, bytes) => {
        if (done) return;
        if (error) return finish(error.code !== 'EAGAIN');
        if (bytes === 0) return finish(true);
        kept.push(buffer.subarray(0, bytes));
        step();
      });
    };
    if (signal?.aborted) onAbort();
    else step();
  });
}
