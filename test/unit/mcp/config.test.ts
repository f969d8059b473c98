/** Start-up configuration: defaults, git root discovery, one-line errors. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findGitRoot, loadServerConfig, parsePositiveInt } from '../../../src/mcp/config.js';

const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mcp-config-')));
const repo = path.join(root, 'repo');
mkdirSync(path.join(repo, '.git'), { recursive: true });
mkdirSync(path.join(repo, 'a/b'), { recursive: true });
const template = path.join(root, 'tpl.md');
writeFileSync(template, '{{variant_dir}}');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { ART_LOOP_PROMPT_TEMPLATE: template };

describe('parsePositiveInt', () => {
  it('accepts plain positive integers only', () => {
    expect(parsePositiveInt('4')).toBe(4);
    expect(parsePositiveInt(' +12 ')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'abc', '', '1e3', '0x10', '99999999999999999999']) expect(parsePositiveInt(bad)).toBeNull();
  });
});

describe('loadServerConfig', () => {
  it('finds the git root from a subfolder and derives the defaults', async () => {
    expect(findGitRoot(path.join(repo, 'a/b'))).toBe(repo);
    const outcome = await loadServerConfig(base, path.join(repo, 'a/b'));
    expect(outcome).toMatchObject({
      ok: true,
      value: {
        repoRoot: repo,
        runsRoot: path.join(repo, 'sketch/agent_loop/runs'),
        childRoot: repo,
        maxConcurrency: 4,
        sandbox: 'workspace-write',
        python: 'python3',
        artistWorkdir: 'variant',
        allowSlashTmp: false,
        killGraceMs: 3000,
        promptTemplatePath: template,
      },
    });
  });

  it('honours the overrides', async () => {
    mkdirSync(path.join(root, 'runs'), { recursive: true });
    const outcome = await loadServerConfig(
      {
        ...base,
        ART_LOOP_REPO_ROOT: repo,
        ART_LOOP_RUNS_DIR: path.join(root, 'runs'),
        CODEX_CHILD_ROOT: 'a',
        ART_LOOP_MAX_CONCURRENCY: '2',
        CODEX_CHILD_SANDBOX: 'danger-full-access',
        ART_LOOP_PYTHON: '/opt/py/bin/python',
        ART_LOOP_WORKDIR: 'repo',
        ART_LOOP_ALLOW_SLASH_TMP: '1',
        CODEX_CHILD_KILL_GRACE_MS: '500',
      },
      root,
    );
    expect(outcome).toMatchObject({
      ok: true,
      value: { repoRoot: repo, runsRoot: path.join(root, 'runs'), childRoot: path.join(repo, 'a'), maxConcurrency: 2, sandbox: 'danger-full-access', python: '/opt/py/bin/python', artistWorkdir: 'repo', allowSlashTmp: true, killGraceMs: 500 },
    });
  });

  it('rejects a bad ART_LOOP_MAX_CONCURRENCY and other bad values with one line', async () => {
    for (const value of ['0', '-2', 'four', '2.5']) {
      expect(await loadServerConfig({ ...base, ART_LOOP_MAX_CONCURRENCY: value }, repo)).toEqual({
        ok: false,
        error: `ART_LOOP_MAX_CONCURRENCY must be a positive integer, got ${JSON.stringify(value)}`,
      });
    }
    expect(await loadServerConfig({ ...base, CODEX_CHILD_SANDBOX: 'yolo' }, repo)).toMatchObject({ ok: false, error: expect.stringMatching(/^CODEX_CHILD_SANDBOX must be one of/) });
    expect(await loadServerConfig({ ...base, ART_LOOP_WORKDIR: 'x' }, repo)).toMatchObject({ ok: false });
    expect(await loadServerConfig({ ...base, CODEX_CHILD_ROOT: 'missing' }, repo)).toMatchObject({ ok: false, error: expect.stringMatching(/^CODEX_CHILD_ROOT not found/) });
  });
});
