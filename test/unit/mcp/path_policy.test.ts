/**
 * Path policy of the MCP server (art-loop contract §3.3): every attack kind is refused with the
 * contract's message, and the accepted path is the resolved real path.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkTailPath,
  checkVariantDir,
  checkWorkspaceDir,
  displayPath,
  expandTilde,
  hasVariantShape,
  isStrictlyInside,
  resolveReal,
} from '../../../src/mcp/path_policy.js';

let root: string;
let repo: string;
let runs: string;
let outside: string;
let vd: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mcp-path-')));
  repo = path.join(root, 'repo');
  runs = path.join(repo, 'sketch/agent_loop/runs');
  outside = path.join(root, 'outside');
  vd = path.join(runs, 'run_a/iter_01/v01');
  mkdirSync(vd, { recursive: true });
  mkdirSync(path.join(runs, 'run_a/iter_01/v02'), { recursive: true });
  mkdirSync(path.join(outside, 'run_x/iter_01/v01'), { recursive: true });
  writeFileSync(path.join(runs, 'run_a/iter_01/v01/log.txt'), 'x');
  writeFileSync(path.join(runs, 'run_a/iter_01/notadir'), 'x');
  mkdirSync(path.join(runs, 'run_a/iter_01/vfile'), { recursive: true });
  // A symlink inside the runs tree whose target is outside it.
  symlinkSync(path.join(outside, 'run_x'), path.join(runs, 'escape'));
  symlinkSync(path.join(outside, 'run_x/iter_01/v01'), path.join(runs, 'run_a/iter_01/v09'));
  // A symlink inside the tree that stays inside it.
  symlinkSync(path.join(runs, 'run_a'), path.join(runs, 'alias'));
  // A symlink to a file outside, for read_text_tail.
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(vd, 'secret_link.txt'));
  // A symlink loop.
  symlinkSync(path.join(runs, 'loop_b'), path.join(runs, 'loop_a'));
  symlinkSync(path.join(runs, 'loop_a'), path.join(runs, 'loop_b'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const ctx = () => ({ base: repo, home: path.join(root, 'home') });
const under = () => `path must be under ${runs}: `;

describe('resolveReal', () => {
  it('follows symlinks component by component and keeps missing parts', async () => {
    expect(await resolveReal('sketch/agent_loop/runs/alias/iter_01/v01', repo)).toBe(vd);
    expect(await resolveReal('sketch/agent_loop/runs/escape/iter_01/v01', repo)).toBe(path.join(outside, 'run_x/iter_01/v01'));
    expect(await resolveReal(`${runs}/nope/iter_01/../x`, '/')).toBe(path.join(runs, 'nope/x'));
  });

  it('applies `..` after a symlink to the link target, not lexically', async () => {
    // escape -> outside/run_x, so escape/.. is `outside`, not the runs root.
    expect(await resolveReal(`${runs}/escape/..`, '/')).toBe(outside);
  });

  it('follows a link again after a missing component', async () => {
    expect(await resolveReal(`${runs}/missing/../escape`, '/')).toBe(path.join(outside, 'run_x'));
  });

  it('reports symlink loops', async () => {
    await expect(resolveReal(path.join(runs, 'loop_a/x'), '/')).rejects.toThrow(/symbolic links/);
  });
});

describe('checkVariantDir', () => {
  it('accepts a relative and an absolute variant dir, and one reached through an inside link', async () => {
    expect(await checkVariantDir('sketch/agent_loop/runs/run_a/iter_01/v01', runs, ctx())).toEqual({ ok: true, value: vd });
    expect(await checkVariantDir(vd, runs, ctx())).toEqual({ ok: true, value: vd });
    expect(await checkVariantDir('sketch/agent_loop/runs/alias/iter_01/v01/', runs, ctx())).toEqual({ ok: true, value: vd });
  });

  it('refuses `..` traversal out of the runs root', async () => {
    const result = await checkVariantDir('sketch/agent_loop/runs/run_a/iter_01/v01/../../../../../../../outside/run_x/iter_01/v01', runs, ctx());
    expect(result).toEqual({ ok: false, error: `${under()}${path.join(outside, 'run_x/iter_01/v01')}` });
  });

  it('refuses an absolute path outside', async () => {
    expect(await checkVariantDir('/etc', runs, ctx())).toEqual({ ok: false, error: `${under()}/etc` });
    expect(await checkVariantDir(path.join(outside, 'run_x/iter_01/v01'), runs, ctx())).toMatchObject({ ok: false });
  });

  it('refuses symlink escapes (a link dir in the middle, or the variant dir itself a link)', async () => {
    expect(await checkVariantDir('sketch/agent_loop/runs/escape/iter_01/v01', runs, ctx())).toEqual({
      ok: false,
      error: `${under()}${path.join(outside, 'run_x/iter_01/v01')}`,
    });
    expect(await checkVariantDir(path.join(runs, 'run_a/iter_01/v09'), runs, ctx())).toMatchObject({ ok: false, error: expect.stringContaining('path must be under') });
  });

  it('refuses the runs root itself with the "path must be under" message', async () => {
    expect(await checkVariantDir('sketch/agent_loop/runs', runs, ctx())).toEqual({ ok: false, error: `${under()}${runs}` });
    expect(await checkVariantDir(`${runs}/.`, runs, ctx())).toEqual({ ok: false, error: `${under()}${runs}` });
  });

  it('refuses run and iteration directories with the shape message', async () => {
    const shape = (dir: string) => `variant_dir must be <run_id>/iter_XX/vYY under ${runs}: ${dir}`;
    expect(await checkVariantDir(path.join(runs, 'run_a'), runs, ctx())).toEqual({ ok: false, error: shape(path.join(runs, 'run_a')) });
    expect(await checkVariantDir(path.join(runs, 'run_a/iter_01'), runs, ctx())).toEqual({ ok: false, error: shape(path.join(runs, 'run_a/iter_01')) });
    expect(await checkVariantDir(path.join(runs, 'run_a/iter_01/vfile'), runs, ctx())).toEqual({ ok: false, error: shape(path.join(runs, 'run_a/iter_01/vfile')) });
  });

  it('refuses a non-directory and a missing directory', async () => {
    const file = path.join(runs, 'run_a/iter_01/notadir');
    expect(await checkVariantDir(file, runs, ctx())).toEqual({ ok: false, error: `variant_dir not found: ${file}` });
    const missing = path.join(runs, 'run_a/iter_01/v77');
    expect(await checkVariantDir(missing, runs, ctx())).toEqual({ ok: false, error: `variant_dir not found: ${missing}` });
  });

  it('refuses NUL bytes before touching the file system', async () => {
    expect(await checkVariantDir(`${vd}\0/x`, runs, ctx())).toEqual({ ok: false, error: 'variant_dir must not contain NUL bytes' });
  });

  it('refuses symlink loops with a one-line message', async () => {
    const result = await checkVariantDir(path.join(runs, 'loop_a/iter_01/v01'), runs, ctx());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^variant_dir cannot be resolved: too many levels/);
  });

  it('expands ~ with the given home', async () => {
    const result = await checkVariantDir('~/x', runs, ctx());
    expect(result).toEqual({ ok: false, error: `${under()}${path.join(root, 'home/x')}` });
  });
});

describe('checkTailPath', () => {
  it('accepts files at any depth inside, existing or not', async () => {
    expect(await checkTailPath(path.join(vd, 'log.txt'), runs, ctx())).toEqual({ ok: true, value: path.join(vd, 'log.txt') });
    expect(await checkTailPath('sketch/agent_loop/runs/run_a/nothing.txt', runs, ctx())).toEqual({ ok: true, value: path.join(runs, 'run_a/nothing.txt') });
  });

  it('refuses traversal, outside paths, the root, symlinked files pointing outside and NUL', async () => {
    expect(await checkTailPath('sketch/agent_loop/runs/../../../../outside/secret.txt', runs, ctx())).toMatchObject({ ok: false });
    expect(await checkTailPath('/etc/passwd', runs, ctx())).toEqual({ ok: false, error: `${under()}/etc/passwd` });
    expect(await checkTailPath(runs, runs, ctx())).toEqual({ ok: false, error: `${under()}${runs}` });
    expect(await checkTailPath(path.join(vd, 'secret_link.txt'), runs, ctx())).toEqual({ ok: false, error: `${under()}${path.join(outside, 'secret.txt')}` });
    expect(await checkTailPath('a\0b', runs, ctx())).toEqual({ ok: false, error: 'path must not contain NUL bytes' });
  });
});

describe('checkWorkspaceDir', () => {
  it('accepts the child root itself and directories inside it', async () => {
    expect(await checkWorkspaceDir('.', repo, ctx())).toEqual({ ok: true, value: repo });
    expect(await checkWorkspaceDir('sketch', repo, ctx())).toEqual({ ok: true, value: path.join(repo, 'sketch') });
  });

  it('refuses outside paths, escapes and missing directories', async () => {
    expect(await checkWorkspaceDir('..', repo, ctx())).toEqual({ ok: false, error: `workspace_dir must be under ${repo}: ${root}` });
    expect(await checkWorkspaceDir('sketch/agent_loop/runs/escape', repo, ctx())).toMatchObject({ ok: false });
    expect(await checkWorkspaceDir('nope', repo, ctx())).toEqual({ ok: false, error: `workspace_dir not found: ${path.join(repo, 'nope')}` });
  });
});

describe('helpers', () => {
  it('hasVariantShape', () => {
    expect(hasVariantShape('run_1/iter_01/v01')).toBe(true);
    expect(hasVariantShape('run_1/iter_123/v1234')).toBe(true);
    expect(hasVariantShape('run_1/iter_1/v01')).toBe(false);
    expect(hasVariantShape('run_1/iter_01/v1')).toBe(false);
    expect(hasVariantShape('run_1/iter_01')).toBe(false);
    expect(hasVariantShape('run_1/iter_01/v01/x')).toBe(false);
    expect(hasVariantShape('.tmp/iter_01/v01')).toBe(false);
  });

  it('isStrictlyInside, displayPath and expandTilde', () => {
    expect(isStrictlyInside('/a/b', '/a')).toBe(true);
    expect(isStrictlyInside('/a', '/a')).toBe(false);
    expect(isStrictlyInside('/ab', '/a')).toBe(false);
    expect(isStrictlyInside('/a/..b', '/a')).toBe(true);
    expect(displayPath('/r/x/y', '/r')).toBe('x/y');
    expect(displayPath('/elsewhere/y', '/r')).toBe('/elsewhere/y');
    expect(expandTilde('~', '/h')).toBe('/h');
    expect(expandTilde('~/a', '/h')).toBe('/h/a');
    expect(expandTilde('~x/a', '/h')).toBe('~x/a');
  });
});
