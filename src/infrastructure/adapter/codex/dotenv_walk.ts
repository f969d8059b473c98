/**
 * Lists the `.env*` entries under a directory the way V661's `Path(root).rglob(".env*")` finds
 * them: every directory is walked (`.git/` and `node_modules/` too), names match case-sensitively,
 * symlinked directories are not descended (a symlink is listed, never entered), unreadable
 * directories are skipped. A plain `readdir` walk rather than a glob library: one fixed pattern
 * needs no matcher, and not loading one is most of what a wrapper run would spend on it
 * (docs/benchmarks.md, B3 and B9).
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { SnapshotAbortedError } from './dotenv_fingerprint.js';

/** Directory reads in flight: each holds one descriptor while the thread pool reads it. */
const READS_IN_FLIGHT = 16;

/** Matches the rglob pattern `.env*` against one entry name. */
function isDotenvName(name: string): boolean {
  return name.startsWith('.env');
}

/**
 * The relative paths (with `/`) of every entry named `.env*` under `base` (files, symlinks and
 * directories alike: the caller keeps what is a regular file). Breadth-first with an explicit
 * queue, so depth costs no stack; rejects with {@link SnapshotAbortedError} once `signal` fires.
 */
export function listDotenvEntries(base: string, signal?: AbortSignal): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const found: string[] = [];
    const queue: string[] = [''];
    let head = 0; // queue[head..] is still to read (no shift(): it is linear in the queue length)
    let active = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(found);
    };
    const onAbort = () => finish(new SnapshotAbortedError());
    const visit = (entries: Dirent[], rel: string) => {
      for (const entry of entries) {
        const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (isDotenvName(entry.name)) found.push(child);
        if (entry.isDirectory()) queue.push(child);
      }
    };
    const pump = () => {
      if (settled) return;
      if (head === queue.length && active === 0) return finish();
      while (active < READS_IN_FLIGHT && head < queue.length) {
        const rel = queue[head++] as string;
        active += 1;
        readdir(rel === '' ? base : `${base}/${rel}`, { withFileTypes: true })
          .then(
            (entries) => visit(entries, rel),
            () => undefined, // unreadable, or gone meanwhile: skipped, as rglob does
          )
          .finally(() => {
            active -= 1;
            pump();
          });
      }
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    pump();
  });
}
