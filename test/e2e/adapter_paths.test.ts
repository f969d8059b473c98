/**
 * Paths the library resolves against the caller's `cwd` and `env`, not this process's (issue 12's
 * bug): a relative TARGET_PROJECT_DIR reaches codex as the same directory that was validated and
 * snapshotted, and the adapter's own temp dir lives in the given env's TMPDIR. Real codex.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurn } from '../../src/devtools/fake_model_server.js';
import { runTeammatePayload } from '../../src/index.js';
import { executePayload, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

let world: CodexWorld;
beforeAll(async () => {
  world = await startCodexWorld();
  // The executor's work dir (the adapter's temp dir) is in the command's env: record it.
  world.server.registerScenario(
    'where',
    scriptedTurn({
      commands: ['printf "%s" "$CODEX_EXECUTOR_WORK_DIR" > workdir.txt && pwd > pwd.txt && echo TAMPER=1 > .env.local'],
      result: 'RESULT: completed\nSUMMARY: recorded paths\nCHANGED_FILES: workdir.txt\nCHECKS: none',
    }),
  );
});
afterAll(() => world.close());

describe('a relative TARGET_PROJECT_DIR with cwd ≠ process.cwd()', () => {
  it('codex works in <cwd>/<dir>, the directory that was validated and snapshotted', async () => {
    const cwd = path.join(world.home.root, 'caller-cwd');
    const rel = `proj-${process.pid}`;
    mkdirSync(path.join(cwd, rel), { recursive: true });
    writeFileSync(path.join(cwd, rel, '.env.local'), 'TAMPER=0\n');
    expect(path.resolve(rel)).not.toBe(path.join(cwd, rel));
    expect(existsSync(path.resolve(rel))).toBe(false); // nothing there relative to process.cwd()
    const outcome = await runTeammatePayload(executePayload('where'), { env: { ...world.env, TARGET_PROJECT_DIR: rel }, cwd, display: 'ignore' });
    // The command edited .env.local in the snapshotted directory: the edit is seen, so both agree.
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('deny rule violation: .env/.env.* files were modified by codex (changed=.env.local)');
    expect(readFileSync(path.join(cwd, rel, 'pwd.txt'), 'utf8').trim()).toBe(path.join(cwd, rel));
    expect(existsSync(path.resolve(rel))).toBe(false);
  });
});

describe('the adapter\'s temp dir', () => {
  it('is created in options.env.TMPDIR, not os.tmpdir(), and removed afterwards', async () => {
    const tmp = path.join(world.home.root, 'given-tmp');
    mkdirSync(tmp);
    expect(os.tmpdir()).not.toBe(tmp);
    const project = path.join(world.home.root, 'tmp-proj');
    mkdirSync(project);
    const outcome = await runTeammatePayload(executePayload('where'), {
      env: { ...world.env, TARGET_PROJECT_DIR: project, TMPDIR: tmp, CODEX_DENY_DOTENV: '0' },
      display: 'ignore',
    });
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');
    const workDir = readFileSync(path.join(project, 'workdir.txt'), 'utf8');
    expect(path.dirname(workDir)).toBe(tmp);
    expect(path.basename(workDir)).toMatch(/^codex-child-/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a TMPDIR that does not exist is one typed error, not a throw', async () => {
    const missing = path.join(world.home.root, 'no-such-tmp');
    const outcome = await runTeammatePayload(executePayload('demo'), { env: { ...world.env, TMPDIR: missing }, display: 'ignore' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).toBe('run_dir_failed');
    expect(outcome.error.exitCode).toBe(1);
    expect(outcome.error.message).toBe(`cannot create a temp dir in ${missing}: ENOENT`);
  });
});
