/**
 * `art_loop.read_text_tail`: the last N characters (code points) of a text file, reading only the
 * end of the file, so a 50 MB log costs a few kilobytes of I/O. Invalid UTF-8 becomes U+FFFD.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** Largest `max_chars` honoured; larger requests are clamped (tool output has to stay small). */
export const MAX_TAIL_CHARS = 200_000;

/** Outcome: the text, or a one-line refusal (directories, FIFOs, devices, unreadable files). */
export type TailOutcome = { ok: true; text: string } | { ok: false; message: string };

/** The last `count` code points of `text`. */
export function lastCodePoints(text: string, count: number): string {
  if (text.length <= count) return text; // UTF-16 length ≥ code points: nothing to cut
  const points = Array.from(text);
  return points.length <= count ? text : points.slice(points.length - count).join('');
}

/**
 * Reads the tail of `file` (already resolved and allowed by the path policy). A missing file
 * gives `""`.
 *
 * @param maxChars code points to return, ≥ 1 (clamped to {@link MAX_TAIL_CHARS}).
 */
export async function readTextTail(file: string, maxChars: number): Promise<TailOutcome> {
  const count = Math.min(Math.max(1, Math.floor(maxChars)), MAX_TAIL_CHARS);
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    if (info.code === 'ENOENT' || info.code === 'ENOTDIR') return { ok: true, text: '' };
    return { ok: false, message: `cannot read ${file}: ${info.code ?? info.message}` };
  }
  if (info.isDirectory()) return { ok: false, message: `path is a directory, not a file: ${file}` };
  if (!info.isFile()) return { ok: false, message: `path is not a regular file: ${file}` };

  // O_NONBLOCK: should the file have been swapped for a FIFO since stat, open must not hang.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) return { ok: false, message: `cannot read ${file}: ${handle.code ?? handle.message}` };
  try {
    const current = await handle.stat();
    if (!current.isFile()) return { ok: false, message: `path is not a regular file: ${file}` };
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
    return { ok: true, text: lastCodePoints(buffer.subarray(from, filled).toString('utf8'), count) };
  } finally {
    await handle.close();
  }
}
