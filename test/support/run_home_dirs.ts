/**
 * The directory pair the isolation tests work in: a fresh real-path temp root per test holding a
 * parent CODEX_HOME (`parent`) and a run's own home (`run_home`), every root removed after the file.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach } from 'vitest';

export interface RunHomeDirs {
  root: string;
  parent: string;
  home: string;
}

/** Registers the hooks; the returned object holds the current test's directories. */
export function useRunHomeDirs(prefix: string): RunHomeDirs {
  const roots: string[] = [];
  const dirs: RunHomeDirs = { root: '', parent: '', home: '' };
  beforeEach(() => {
    dirs.root = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
    roots.push(dirs.root);
    dirs.parent = path.join(dirs.root, 'parent');
    dirs.home = path.join(dirs.root, 'run_home');
    mkdirSync(dirs.parent);
    mkdirSync(dirs.home);
  });
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });
  return dirs;
}
