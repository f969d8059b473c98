/**
 * `.env*` snapshot and change detection (contract §7).
 *
 * Semantics follow V661's `Path(root).resolve().rglob(".env*")`: recursive with no ignored
 * directories (`.git/` and `node_modules/` are walked), case-sensitive `.env*` names, regular files
 * after following symlinks (a symlinked file is hashed through its target), symlinked directories
 * not descended, unreadable directories skipped, a missing root giving an empty snapshot.
 * Beyond V661, each entry also records whether it is a symlink and where it points, so swapping a
 * file for a link to identical bytes is still reported as `changed`.
 *
 * Bounded (issue 9): at most {@link DEFAULT_OPEN_FILES} files are open at once, files above a size
 * cap are fingerprinted by their ends (dotenv_fingerprint.ts), and the walk and every read stop
 * when the abort signal fires.
 */
import path from 'node:path';
import { realpath } from 'node:fs/promises';
import { childError, type CodexChildError } from '../../../domain/errors.js';
import { err, ok, type Result } from '../../../domain/result.js';
import { CHUNK_BYTES, DEFAULT_FULL_HASH_MAX_BYTES, fingerprintFile, SnapshotAbortedError } from './dotenv_fingerprint.js';
import { listDotenvEntries } from './dotenv_walk.js';
import type { EnvRecord } from '../../env.js';

/** Relative path (with `/`) → fingerprint (SHA-256 hex, plus `→target` for symlinks). */
export type DotenvSnapshot = ReadonlyMap<string, string>;

/** The difference between two snapshots; each list is sorted by code point. */
export interface DotenvDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Files hashed at once (each holds one descriptor): far below any usual `ulimit -n`. */
export const DEFAULT_OPEN_FILES = 16;

/** Options of {@link takeDotenvSnapshot}. */
export interface SnapshotOptions {
  /** Stops the walk and every read; the outcome is then a `cancelled` error. */
  signal?: AbortSignal;
  /** Files larger than this many bytes are fingerprinted, not hashed whole (default 64 MiB). */
  fullHashMaxBytes?: number;
  /** Files open at once (default {@link DEFAULT_OPEN_FILES}). */
  openFiles?: number;
}

/** A snapshot: the map, plus the files above the size cap (sorted). */
export interface TakenSnapshot {
  snapshot: DotenvSnapshot;
  bounded: string[];
}

/**
 * Result of taking a snapshot, or an error value: `snapshot_failed` for an I/O error, or
 * `cancelled` when the signal fired (the caller knows why, and words its own error).
 */
export type SnapshotOutcome = Result<TakenSnapshot>;

/** Env variable that moves the size cap (bytes, a positive integer). */
export const FULL_HASH_MAX_ENV = 'CODEX_DOTENV_FULL_HASH_MAX_BYTES';

/** The size cap from the env ({@link FULL_HASH_MAX_ENV}); anything but a positive integer → 64 MiB. */
export function fullHashMaxBytesFrom(env: EnvRecord): number {
  const raw = env[FULL_HASH_MAX_ENV]?.trim() ?? '';
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_FULL_HASH_MAX_BYTES;
}

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

async function resolveRoot(root: string): Promise<string | null> {
  try {
    return await realpath(path.resolve(root));
  } catch {
    return null; // Python's non-strict resolve() of a missing root → rglob yields nothing.
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Hashes every `.env*` file under `root`, with at most `openFiles` files open at once.
 *
 * @param root the project directory (TARGET_PROJECT_DIR); relative paths resolve against cwd.
 * @returns the snapshot, a `snapshot_failed` error (exit 1) when a file cannot be read, or an
 *   aborted outcome when `options.signal` fired (nothing is left reading after it returns).
 */
export async function takeDotenvSnapshot(root: string, options: SnapshotOptions = {}): Promise<SnapshotOutcome> {
  const base = await resolveRoot(root);
  if (base === null) return ok({ snapshot: new Map(), bounded: [] });
  const { signal } = options;
  const maxFull = options.fullHashMaxBytes ?? DEFAULT_FULL_HASH_MAX_BYTES;
  try {
    const entries = await listDotenvEntries(base, signal);
    const prints: (string | null)[] = new Array(entries.length).fill(null);
    const bounded: string[] = [];
    let next = 0;
    let failed = false;
    // A fixed pool of workers, each with its own read buffer: bounded descriptors and memory.
    const worker = async () => {
      let buffer: Buffer | undefined; // allocated on first use: a worker without a file costs nothing
      while (!failed && next < entries.length) {
        const index = next++;
        const rel = entries[index] as string;
        try {
          buffer ??= Buffer.allocUnsafe(CHUNK_BYTES);
          const print = await fingerprintFile(path.join(base, rel), maxFull, buffer, signal);
          if (print === null) continue;
          prints[index] = print.value;
          if (print.bounded) bounded.push(rel);
        } catch (error) {
          failed = true; // the others stop after their current file
          throw error;
        }
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(options.openFiles ?? DEFAULT_OPEN_FILES, entries.length)) }, worker);
    const settled = await Promise.allSettled(workers);
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;
    if (signal?.aborted) throw new SnapshotAbortedError();
    const snapshot = new Map<string, string>();
    entries.forEach((rel, index) => {
      const print = prints[index];
      if (print != null) snapshot.set(rel, print);
    });
    return ok({ snapshot, bounded: bounded.sort(compareCodePoints) });
  } catch (error) {
    const aborted = error instanceof SnapshotAbortedError || signal?.aborted === true;
    return err(
      aborted
        ? childError({ reason: 'cancelled', message: 'dotenv snapshot aborted', details: { root: base } })
        : childError({ reason: 'snapshot_failed', message: `dotenv snapshot failed: ${describe(error)}`, details: { root: base } }),
    );
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
    message: `deny rule violation: .env/.env.* files were modified by codex (${parts.join('; ')})`,
    details: { ...diff },
  });
}
