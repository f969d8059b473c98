/**
 * runTaskTool, the checks that end a call before any codex run: bad arguments and a workspace
 * outside CODEX_CHILD_ROOT are refusals that create nothing; a `.codex_child` the run did not
 * create (a planted symlink, a file) is refused without writing through it. Also the run id shape.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { newTaskRunId, runTaskTool, TASK_RUNS_FOLDER } from '../../../src/mcp/run_task.js';
import { toolDeps, toolExtra } from '../../support/mcp_tool_deps.js';

const roots: string[] = [];
let world: ReturnType<typeof toolDeps>;
let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'run-task-')));
  roots.push(root);
  world = toolDeps(root);
});
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;
const call = (args: Record<string, unknown>) => runTaskTool({ prompt: 'Do it', timeout_s: 30, ...args }, toolExtra(), world.deps);

describe('newTaskRunId', () => {
  it('is task_YYYYMMDD_HHMMSS_<6 hex> in UTC, different each time', () => {
    const now = new Date('2026-12-02T03:04:05.999Z');
    const id = newTaskRunId(now);
    expect(id).toMatch(/^task_20261202_030405_[0-9a-f]{6}$/);
    expect(new Set(Array.from({ length: 20 }, () => newTaskRunId(now))).size).toBeGreaterThan(1);
  });
});

describe('runTaskTool refusals (nothing created)', () => {
  it.each([
    [{ workspace_dir: undefined }, 'workspace_dir is required'],
    [{ workspace_dir: 'ws', prompt: '' }, 'prompt is required'],
    [{ workspace_dir: 'ws', timeout_s: undefined }, 'timeout_s is required'],
    [{ workspace_dir: 'ws', sandbox: 'yolo' }, 'sandbox must be one of read-only, workspace-write, danger-full-access'],
    [{ workspace_dir: 'ws', model: 'two words' }, 'model must be a non-empty string without blanks'],
  ])('refuses bad arguments %j', async (args, message) => {
    const result = await call(args);
    expect(result.isError).toBe(true);
    expect(text(result)).toContain(message);
  });

  it('refuses a workspace outside CODEX_CHILD_ROOT, a missing one, a file and a NUL byte', async () => {
    writeFileSync(path.join(world.repo, 'a-file'), 'x');
    const cases: [string, RegExp][] = [
      [root, /^workspace_dir must be under /],
      ['..', /^workspace_dir must be under /],
      ['missing', /^workspace_dir not found: /],
      ['a-file', /^workspace_dir not found: /],
      ['ws\0', /^workspace_dir must not contain NUL bytes/],
    ];
    for (const [dir, message] of cases) {
      const result = await call({ workspace_dir: dir });
      expect(result.isError, dir).toBe(true);
      expect(text(result), dir).toMatch(message);
    }
    expect(readdirSync(root).includes(TASK_RUNS_FOLDER)).toBe(false);
    expect(world.codexStarted()).toBe(false);
  });

  it('refuses a workspace reached through a symlink that leaves the child root', async () => {
    mkdirSync(path.join(root, 'outside'));
    symlinkSync(path.join(root, 'outside'), path.join(world.repo, 'link'));
    const result = await call({ workspace_dir: 'link' });
    expect(text(result)).toMatch(/^workspace_dir must be under /);
    expect(readdirSync(path.join(root, 'outside'))).toEqual([]);
  });
});

describe('runTaskTool run directory checks', () => {
  it('refuses a planted .codex_child symlink and creates nothing at its target', async () => {
    mkdirSync(path.join(world.repo, 'ws'));
    const target = path.join(root, 'elsewhere');
    mkdirSync(target);
    symlinkSync(target, path.join(world.repo, 'ws', TASK_RUNS_FOLDER));
    const result = await call({ workspace_dir: 'ws' });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(new RegExp(`^cannot create the run directory ${world.repo}/ws/\\.codex_child/task_\\d{8}_\\d{6}_[0-9a-f]{6}: `));
    expect(text(result)).not.toContain('/proc/');
    expect(readdirSync(target)).toEqual([]);
    expect(lstatSync(path.join(world.repo, 'ws', TASK_RUNS_FOLDER)).isSymbolicLink()).toBe(true);
    expect(world.codexStarted()).toBe(false);
  });

  it('refuses a .codex_child that is a regular file', async () => {
    mkdirSync(path.join(world.repo, 'ws'));
    writeFileSync(path.join(world.repo, 'ws', TASK_RUNS_FOLDER), 'not a dir');
    const result = await call({ workspace_dir: 'ws' });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^cannot create the run directory .*: /);
    expect(world.codexStarted()).toBe(false);
  });
});
