/**
 * Small, tolerant file reads shared by the adapter and the MCP server.
 */
import { open, realpath, stat } from 'node:fs/promises';

/**
 * The last `maxBytes` bytes of a file decoded as UTF-8 (invalid bytes become U+FFFD), read from
 * the end so a huge log costs no memory. A missing or unreadable file gives ''.
 */
export async function readTailText(file: string, maxBytes: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => null);
  if (handle === null) return '';
  try {
    const { size } = await handle.stat();
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
