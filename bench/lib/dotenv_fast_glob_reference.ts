/**
 * The `.env*` walk as it shipped before issue 12 (fast-glob `**\/.env*`), kept only as a reference
 * arm for B3: the shipped readdir walk (src/infrastructure/adapter/codex/dotenv_walk.ts) must find
 * the same entries, and the table shows what dropping the glob library changed. Files are
 * fingerprinted with the shipped function, so only the walk differs.
 */
import path from 'node:path';
import fg from 'fast-glob';
import { CHUNK_BYTES, DEFAULT_FULL_HASH_MAX_BYTES, fingerprintFile } from '../../src/infrastructure/adapter/codex/dotenv_fingerprint.js';

/** Relative path → fingerprint, as takeDotenvSnapshot returns it, found by fast-glob. */
export async function fastGlobSnapshot(root: string): Promise<Map<string, string>> {
  const entries = await fg('**/.env*', {
    cwd: root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    caseSensitiveMatch: true,
    suppressErrors: true,
    unique: false,
    concurrency: 64,
  });
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const snapshot = new Map<string, string>();
  for (const rel of entries) {
    const print = await fingerprintFile(path.join(root, rel), DEFAULT_FULL_HASH_MAX_BYTES, buffer);
    if (print !== null) snapshot.set(rel, print.value);
  }
  return snapshot;
}
