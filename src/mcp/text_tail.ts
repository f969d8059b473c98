/**
 * `art_loop.read_text_tail`: the last N characters (code points) of a text file, reading only the
 * end of the file, so a 50 MB log costs a few kilobytes of I/O. Invalid UTF-8 becomes U+FFFD.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { openedPath } from '../infrastructure/fs/opened_path.js';
import { isStrictlyInside } from './path_policy.js';
import { err, ok, type Result } from '../domain/result.js';

/** Largest `max_chars` honoured; larger requests are clamped (tool output has to stay small). */
export const MAX_TAIL_CHARS = 200_000;

/** Outcome: the text, or a one-line refusal (directories, FIFOs, devices, unreadable files). */
export type TailOutcome = Result<string, string>;

/** The last `count` code points of `text`. */
export function lastCodePoints(text: string, count: number): string {
  if (text.length <= count) return text; // UTF-16 length ≥ code points: nothing to cut
  const points = Array.from(text);
  return points.length <= count ? text : points.slice(points.length - count).join('');
}

/**
 * Reads the tail of `file` (already resolved and allowed by the path policy). A missing file
 * gives `""`. The path is used once, by one `open(O_NOFOLLOW)`; what that descriptor really
 * opened must still lie strictly inside `root` — so a directory swapped for a symlink between
 * the check and the open is refused, never read.
 *
 * @param maxChars code points to return, ≥ 1 (clamped to {@link MAX_TAIL_CHARS}).
 * @param root the runs root the descriptor must point into.
 */
export async function readTextTail(file: string, maxChars: number, root: string): Promise<TailOutcome> {
  const count = Math.min(Math.max(1, Math.floor(maxChars)), MAX_TAIL_CHARS);
  // O_NONBLOCK: a FIFO under the name must not make open hang; it is refused after fstat.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) {
    if (handle.code === 'ENOENT' || handle.code === 'ENOTDIR') return ok('');
    if (handle.code === 'ELOOP') return err(`path changed since it was checked (now a symlink): ${file}`);
    return err(`cannot read ${file}: ${handle.code ?? handle.message}`);
  }
  try {
    const opened = await openedPath(handle, file);
    if (opened === null || !isStrictlyInside(opened, root)) return err(`path changed since it was checked (it leads outside ${root}): ${file}`);
    const current = await handle.stat();
    if (current.isDirectory()) return err(`path is a directory, not a file: ${file}`);
    if (!current.isFile()) return err(`path is not a regular file: ${file}`);
    // Each code point takes 1–4 bytes, so the last `count` of them lie within the last 4·count
    // bytes; 3 more let us step over a character cut at the start of the window.
    const length = Math.min(current.size, count * 4 + 3);
    const start = current.size - length;
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    let from = 0;
    if (start > 0) while (from < 3 && from < filled && ((buffer[from] as number) & 0xc0) === 0x80) from += 1;
    return ok(lastCodePoints(buffer.subarray(from, filled).toString('utf8'), count));
  } finally {
    await handle.close();
  }
}
