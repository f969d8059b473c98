/** Writes a config file safely: a timestamped backup of the old text first, then an atomic rename. */
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Backup name `<file>.bak-YYYYMMDDTHHMMSSZ` (plus a counter when that exists). */
export function backupName(file: string, now: Date = new Date()): string {
  return `${file}.bak-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/**
 * Replaces `file` with `text`. When the file existed (`hadFile`), its current content is copied
 * to a backup first (never overwriting an older backup); returns the backup path or null.
 */
export async function writeWithBackup(file: string, text: string, hadFile: boolean): Promise<string | null> {
  await mkdir(path.dirname(file), { recursive: true });
  let backup: string | null = null;
  if (hadFile) {
    const base = backupName(file);
    for (let i = 0; backup === null; i += 1) {
      const candidate = i === 0 ? base : `${base}.${i}`;
      try {
        await copyFile(file, candidate, 1 /* COPYFILE_EXCL */);
        backup = candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, file);
  return backup;
}
