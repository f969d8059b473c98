/**
 * Where an open descriptor really points, for checks that must hold against a path swapped
 * between a check and an open (a run's model may plant symlinks while we look).
 */
import { existsSync } from 'node:fs';
import { readlink, realpath, stat, type FileHandle } from 'node:fs/promises';

/** True when `/proc/self/fd/<n>` magic links exist (Linux): they name what a descriptor opened. */
export const PROC_FD = existsSync('/proc/self/fd');

/**
 * The kernel's own path of `handle` on Linux; elsewhere the real path of `file`, accepted only
 * when it is the same inode as the descriptor. Null when it cannot be told.
 */
export async function openedPath(handle: FileHandle, file: string): Promise<string | null> {
  if (PROC_FD) return readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);
  const [real, opened] = await Promise.all([realpath(file).catch(() => null), handle.stat()]);
  if (real === null) return null;
  const now = await stat(real).catch(() => null);
  return now !== null && now.dev === opened.dev && now.ino === opened.ino ? real : null;
}
