/**
 * prepareRunDirs: `.codex_home` and `.tmp` as real sibling directories of a run dir, reused when
 * they are there; a symlink under either name, a run dir under a file or in /proc fails at once
 * with one `run_dir_failed` line.
 */
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRunDirs } from '../../../../../../src/infrastructure/adapter/codex/isolation/run_dirs.js';

let root: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'run-dirs-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prepareRunDirs', () => {
  it('creates the run dir (several levels) with .codex_home and .tmp as siblings, and reuses them', async () => {
    const run = path.join(root, 'a', 'b', 'run');
    const first = await prepareRunDirs(run);
    expect(first).toEqual({ ok: true, value: { runDir: run, codexHome: path.join(run, '.codex_home'), tmpDir: path.join(run, '.tmp') } });
    expect(statSync(path.join(run, '.codex_home')).isDirectory()).toBe(true);
    writeFileSync(path.join(run, '.tmp', 'kept'), 'x');
    expect(await prepareRunDirs(run)).toEqual(first);
    expect(readdirSync(path.join(run, '.tmp'))).toEqual(['kept']);
  });

  it('resolves a relative run dir against the cwd', async () => {
    const result = await prepareRunDirs(path.relative(process.cwd(), path.join(root, 'rel')));
    expect(result.ok ? result.value.runDir : null).toBe(path.join(root, 'rel'));
  });

  it.each(['.codex_home', '.tmp'])('refuses a symlink planted as %s, creating nothing at its target', async (name) => {
    const run = path.join(root, `planted${name}`);
    mkdirSync(run);
    const target = path.join(root, `target${name}`);
    mkdirSync(target);
    symlinkSync(target, path.join(run, name));
    const result = await prepareRunDirs(run);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe('run_dir_failed');
      expect(result.error.exitCode).toBe(1);
      expect(result.error.message).toMatch(new RegExp(`^cannot prepare run dir ${path.join(run, name).replace(/\./g, '\\.')}: `));
    }
    expect(readdirSync(target)).toEqual([]);
  });

  it('fails in one line for a run dir below a regular file and one under /proc', async () => {
    writeFileSync(path.join(root, 'plain'), '');
    for (const run of [path.join(root, 'plain', 'run'), '/proc/self/run']) {
      const result = await prepareRunDirs(run);
      expect(result.ok, run).toBe(false);
      if (!result.ok) {
        expect(result.error.message).toMatch(/^cannot prepare run dir /);
        expect(result.error.message).not.toContain('\n');
      }
    }
  });
});
