/**
 * `.env*` snapshot and change detection (contract §7).
 *
 * Semantics follow V661's `Path(root).resolve().rglob(".env*")`: recursive with no ignored
 * directories (`.git/` and `node_modules/` are walked), case-sensitive `.env*` names, regular files
 * after following symlinks (a symlinked file is hashed through its target), symlinked directories
 * not descended, unreadable directories skipped, a missing root giving an empty snapshot.
 * Beyond V661, each entry also records whether it is a symlink and where it points, so swapping a
 * file for a link to identical bytes is still reported as `changed`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { childError, type CodexChildError } from '../../../domain/errors.js';

/** Relative path (with `/`) → fingerprint (SHA-256 hex, plus `→target` for symlinks). */
export type DotenvSnapshot = ReadonlyMap<string, string>;

/** The difference between two snapshots; each list is sorted by code point. */
export interface DotenvDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Result of taking a snapshot: the map, or a `snapshot_failed` error value. */
export type SnapshotOutcome = { ok: true; snapshot: DotenvSnapshot } | { ok: false; error: CodexChildError };

/** Orders strings by Unicode code point, as Python's `sorted()` does (JS sorts UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done === cb.done ? 0 : ca.done ? -1 : 1;
    const diff = (ca.value.codePointAt(0) ?? 0) - (cb.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  // Streamed so that a large `.env` does not have to fit in memory at once.
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function resolveRoot(root: string): Promise<string | null> {
  try {
    return await realpath(path.resolve(root));
  } catch {
    return null; // Python's non-strict resolve() of a missing root → rglob yields nothing.
  }
}

async function fingerprint(absolute: string): Promise<string | null> {
  let target: import('node:fs').Stats;
  try {
    target = await stat(absolute);
  } catch (error) {
    if (isMissing(error)) return null; // dangling link or raced deletion: not a regular file
    throw error;
  }
  if (!target.isFile()) return null;
  const digest = await sha256File(absolute);
  const link = await lstat(absolute);
  return link.isSymbolicLink() ? `${digest}→${await readlink(absolute)}` : digest;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Hashes every `.env*` file under `root`.
 *
 * @param root the project directory (TARGET_PROJECT_DIR); relative paths resolve against cwd.
 * @returns the snapshot, or a `snapshot_failed` error (exit 1) when a file cannot be read.
 */
export async function takeDotenvSnapshot(root: string): Promise<SnapshotOutcome> {
  const base = await resolveRoot(root);
  if (base === null) return { ok: true, snapshot: new Map() };
  try {
    const entries = await fg('**/.env*', {
      cwd: base,
      dot: true,
      onlyFiles: false, // symlinks to files must be seen; directories are filtered by stat below
      followSymbolicLinks: false,
      caseSensitiveMatch: true,
      suppressErrors: true, // unreadable directories are skipped silently, as in V661
      unique: false, // one pattern yields no duplicates; the dedupe set cost ~10% (B3)
      // fast-glob's default (one readdir per CPU in flight) leaves the walk waiting on the thread
      // pool; 64 halves the time of a 100k-file tree (docs/benchmarks.md, B3).
      concurrency: 64,
    });
    const snapshot = new Map<string, string>();
    const prints = await Promise.all(entries.map((rel) => fingerprint(path.join(base, rel))));
    entries.forEach((rel, index) => {
      const print = prints[index];
      if (print != null) snapshot.set(rel, print);
    });
    return { ok: true, snapshot };
  } catch (error) {
    return {
      ok: false,
      error: childError({
        reason: 'snapshot_failed',
        exitCode: 1,
        message: `dotenv snapshot failed: ${describe(error)}`,
        details: { root: base },
      }),
    };
  }
}

/** Compares two snapshots (contract §7 "Comparison"). */
export function diffDotenvSnapshots(before: DotenvSnapshot, after: DotenvSnapshot): DotenvDiff {
  const added = [...after.keys()].filter((key) => !before.has(key));
  const removed = [...before.keys()].filter((key) => !after.has(key));
  const changed = [...after.keys()].filter((key) => before.has(key) && before.get(key) !== after.get(key));
  return {
    added: added.sort(compareCodePoints),
    removed: removed.sort(compareCodePoints),
    changed: changed.sort(compareCodePoints),
  };
}

/** True when the diff lists nothing. */
export function isEmptyDiff(diff: DotenvDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/**
 * The exit-4 error for a non-empty diff, worded exactly as V661:
 * `deny rule violation: .env/.env.* files were modified by codex (added=…; removed=…; changed=…)`.
 */
export function dotenvModifiedError(diff: DotenvDiff): CodexChildError {
  const parts: string[] = [];
  if (diff.added.length) parts.push(`added=${diff.added.join(',')}`);
  if (diff.removed.length) parts.push(`removed=${diff.removed.join(',')}`);
  if (diff.changed.length) parts.push(`changed=${diff.changed.join(',')}`);
  return childError({
    reason: 'dotenv_modified',
    exitCode: 4,
    message: `deny rule violation: .env/.env.* files were modified by codex (${parts.join('; ')})`,
    details: { ...diff },
  });
}
