/**
 * The `.env*` walk (dotenv_walk.ts) against a real tree: what V661's `rglob(".env*")` finds, no
 * way out through a symlinked directory, unreadable directories skipped, deep trees without
 * recursion, and a stop on the abort signal.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotAbortedError } from '../../../../../src/infrastructure/adapter/codex/dotenv_fingerprint.js';
import { listDotenvEntries } from '../../../../../src/infrastructure/adapter/codex/dotenv_walk.js';

let root: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dotenv-walk-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'dotenv-walk-outside-'));
});
afterEach(() => {
  chmodSync(root, 0o700);
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const write = (rel: string, text = 'X=1\n') => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
};

describe('listDotenvEntries', () => {
  it('finds every .env* name at any depth, .git and node_modules included, case-sensitively', async () => {
    for (const rel of ['.env', '.env.local', 'a/.env.test', '.git/.env', 'node_modules/pkg/.env', 'a/b/c/.envrc', 'a/.ENV', 'a/env', 'a/x.env']) write(rel);
    expect((await listDotenvEntries(root)).sort()).toEqual(['.env', '.env.local', '.git/.env', 'a/.env.test', 'a/b/c/.envrc', 'node_modules/pkg/.env']);
  });

  it('lists a .env* directory and walks into it, lists symlinks without entering them', async () => {
    write('.env.d/.env.inner');
    write('plain.txt');
    writeFileSync(path.join(outside, '.env'), 'SECRET=1\n');
    symlinkSync(outside, path.join(root, 'linked-dir')); // a directory link: never entered
    symlinkSync(outside, path.join(root, '.env-dir-link')); // listed (the caller keeps regular files only)
    symlinkSync(path.join(outside, '.env'), path.join(root, '.env.link'));
    expect((await listDotenvEntries(root)).sort()).toEqual(['.env-dir-link', '.env.d', '.env.d/.env.inner', '.env.link']);
  });

  it('skips a directory it cannot read and still lists the rest', async () => {
    if (process.getuid?.() === 0) {
      // root reads a mode-000 directory anyway: the skip is shown with a directory that vanishes instead
      write('keep/.env');
      expect(await listDotenvEntries(path.join(root, 'missing'))).toEqual([]);
      expect(await listDotenvEntries(root)).toEqual(['keep/.env']);
      return;
    }
    write('locked/.env');
    write('open/.env');
    chmodSync(path.join(root, 'locked'), 0o000);
    try {
      expect(await listDotenvEntries(root)).toEqual(['open/.env']);
    } finally {
      chmodSync(path.join(root, 'locked'), 0o700);
    }
  });

  it('walks a deep tree (1,500 levels) breadth-first and finds the file at the bottom', async () => {
    const parts = Array.from({ length: 1500 }, () => 'd');
    let dir = root; // one level at a time, so no single mkdir path gets long
    for (const part of parts) {
      dir = path.join(dir, part);
      mkdirSync(dir);
    }
    writeFileSync(path.join(dir, '.env'), 'DEEP=1\n');
    write('.env');
    expect(await listDotenvEntries(root)).toEqual(['.env', `${parts.join('/')}/.env`]);
  });

  it('rejects with SnapshotAbortedError once the signal fires, and at once for an aborted one', async () => {
    for (let i = 0; i < 200; i += 1) write(`dir${i}/sub/.env`);
    const controller = new AbortController();
    const walking = listDotenvEntries(root, controller.signal);
    controller.abort();
    await expect(walking).rejects.toBeInstanceOf(SnapshotAbortedError);
    await expect(listDotenvEntries(root, AbortSignal.abort())).rejects.toBeInstanceOf(SnapshotAbortedError);
  });
});
