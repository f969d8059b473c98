/**
 * Small, tolerant file reads shared by the adapter and the MCP server.
 */
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';

/**
 * The last `maxBytes` bytes of a file decoded as UTF-8 (invalid bytes become U+FFFD), read from
 * the end so a huge log costs no memory. A missing or unreadable file gives '', and so does a
 * symlink or a non-regular file in its place (a log name the model may have re-pointed).
 */
export async function readTailText(file: string, maxBytes: number): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => null);
  if (handle === null) return '';
  try {
    const info = await handle.stat();
    if (!info.isFile()) return '';
    const { size } = info;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } catch {
    return '';
  } finally {
    await handle.close();
  }
}

/** The real path of `file` when it is (or links to) a regular file, else null. */
export async function realRegularFile(file: string): Promise<string | null> {
  try {
    const real = await realpath(file);
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** True when `dir` is (or links to) a directory; false when it is missing, unreadable or anything else. */
export async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
