/**
 * A directory pinned for the length of a call (issue 9, "checked, then used by name"): opened once
 * with `O_DIRECTORY|O_NOFOLLOW` right after its path was checked. On Linux this process reaches
 * the files in it through `/proc/self/fd/<fd>/<name>`, which names the very directory that was
 * checked even if its path is swapped for a symlink later. Child processes (codex) can only be
 * given a path; {@link PinnedDir.verify} re-checks, before each hand-over and write, that the path
 * still leads to the pinned directory without a symlink. Without `/proc` (macOS) the re-check is
 * the only protection (a small window between the check and the use remains there).
 */
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PROC_FD } from './opened_path.js';

/** An open directory descriptor plus the checked, symlink-free path it was opened at. */
export interface PinnedDir {
  /** The checked absolute path (what child processes get). */
  readonly real: string;
  /** Device and inode of the pinned directory: a key that no path spelling can alias. */
  readonly identity: string;
  /** A path for THIS process that reaches `name` inside the pinned directory, not through its path. */
  inside(name: string): string;
  /** null while `real` still leads to the pinned directory; otherwise one line saying why not. */
  verify(): Promise<string | null>;
  /** Closes the descriptor. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens `real` (an absolute path with no symlink in it, as the path policy returns it).
 * @throws Error with `code` ELOOP/ENOTDIR/ENOENT when it is not (or no longer) a real directory.
 */
export async function pinDir(real: string): Promise<PinnedDir> {
  const handle = await open(real, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  const pinned = await handle.stat();
  const identity = `${pinned.dev}:${pinned.ino}`;
  let closed = false;
  const byFd = `/proc/self/fd/${handle.fd}`;
  return {
    real,
    identity,
    inside: (name) => (PROC_FD ? path.join(byFd, name) : path.join(real, name)),
    async verify() {
      const now = await realpath(real).catch(() => null);
      const info = now === real ? await stat(real).catch(() => null) : null;
      if (info === null || `${info.dev}:${info.ino}` !== identity) return `${real} changed since it was checked (replaced or swapped for a symlink); nothing more is done in it`;
      return null;
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close().catch(() => undefined);
    },
  };
}
