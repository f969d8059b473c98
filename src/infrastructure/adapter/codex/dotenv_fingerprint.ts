/**
 * Fingerprint of one `.env*` file for the snapshot (contract §7): SHA-256 of the bytes up to a size
 * cap, as V661; above it a bounded fingerprint (size, mtime, ctime, inode and a SHA-256 of the
 * first and last MiB), so a huge or sparse file cannot hold a run for minutes.
 */
import type { Hash } from 'node:crypto';
import { constants } from 'node:fs';
import { createRequire } from 'node:module';
import { lstat, open, readlink, stat, type FileHandle } from 'node:fs/promises';

/** Default size above which a file is fingerprinted instead of hashed whole: 64 MiB. */
export const DEFAULT_FULL_HASH_MAX_BYTES = 64 * 1024 * 1024;

/** Bytes read per call, and the size of the head and tail hashed for large files. */
export const CHUNK_BYTES = 1024 * 1024;

/** Thrown when the abort signal fires while a file is being read. */
export class SnapshotAbortedError extends Error {
  constructor() {
    super('dotenv snapshot aborted');
  }
}

/** How one file was fingerprinted. */
export interface FileFingerprint {
  value: string;
  /** True when the file was larger than the cap and only its ends were read. */
  bounded: boolean;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

async function readInto(handle: FileHandle, buffer: Buffer, length: number, position: number | null, signal?: AbortSignal): Promise<number> {
  if (signal?.aborted) throw new SnapshotAbortedError();
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return bytesRead;
}

/**
 * A SHA-256 hasher, with node:crypto loaded on first use: most projects have no `.env*` file, and
 * loading it is one of the largest parts of a wrapper's start-up (docs/benchmarks.md, B9).
 */
function sha256(): Hash {
  // require, not import(): a dynamic import would start node's ES module loader in the CommonJS
  // bundle of the wrapper, which costs as much as it saves.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256');
}

/** Hashes the whole file, one chunk at a time, checking the signal between chunks. */
async function hashWhole(handle: FileHandle, buffer: Buffer, signal?: AbortSignal): Promise<string> {
  const hash = sha256();
  // Read to EOF rather than to st_size: /proc-like files report size 0 and still have bytes.
  for (;;) {
    const n = await readInto(handle, buffer, buffer.length, null, signal);
    if (n === 0) return hash.digest('hex');
    hash.update(buffer.subarray(0, n));
  }
}

/** Hashes the first and the last {@link CHUNK_BYTES} with the identity of the file. */
async function hashEnds(handle: FileHandle, buffer: Buffer, signal?: AbortSignal): Promise<string> {
  const info = await handle.stat({ bigint: true });
  const hash = sha256();
  const head = await readInto(handle, buffer, CHUNK_BYTES, 0, signal);
  hash.update(buffer.subarray(0, head));
  const tail = await readInto(handle, buffer, CHUNK_BYTES, Math.max(0, Number(info.size) - CHUNK_BYTES), signal);
  hash.update(buffer.subarray(0, tail));
  return `bounded:size=${info.size},mtime=${info.mtimeNs},ctime=${info.ctimeNs},ino=${info.ino},ends=${hash.digest('hex')}`;
}

/**
 * Fingerprints `absolute` (symlinks followed; the link target is appended, so a swap for a link to
 * identical bytes is a change).
 *
 * @param buffer scratch space of at least {@link CHUNK_BYTES}, owned by the caller (one per worker).
 * @returns null when the entry is not a regular file after following links (or vanished).
 * @throws SnapshotAbortedError on abort; any other read error as it is.
 */
export async function fingerprintFile(absolute: string, maxFullBytes: number, buffer: Buffer, signal?: AbortSignal): Promise<FileFingerprint | null> {
  let handle: FileHandle;
  try {
    // stat first so that a FIFO or device named .env* is never opened; O_NONBLOCK so that one
    // swapped in after the stat cannot block the open either (the fstat below then skips it).
    if (!(await stat(absolute)).isFile()) return null;
    handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (isMissing(error)) return null; // dangling link or raced deletion: not a regular file
    throw error;
  }
  let print: FileFingerprint;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return null;
    print = info.size > maxFullBytes
      ? { value: await hashEnds(handle, buffer, signal), bounded: true }
      : { value: await hashWhole(handle, buffer, signal), bounded: false };
  } finally {
    await handle.close();
  }
  const link = await lstat(absolute);
  return link.isSymbolicLink() ? { ...print, value: `${print.value}→${await readlink(absolute)}` } : print;
}
