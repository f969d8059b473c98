/**
 * readTailTool: the end of a log inside the runs root as text; '' for a missing file; one-line
 * refusals for bad arguments, paths outside the runs root (also through a symlink) and non-files.
 * (The flipping-directory race and huge paths are in read_tail_tool_race.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTailTool } from '../../../src/mcp/read_tail_tool.js';
import { toolDeps } from '../../support/mcp_tool_deps.js';

let root: string;
let world: ReturnType<typeof toolDeps>;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'read-tail-')));
  world = toolDeps(root);
  mkdirSync(path.join(world.runs, 'r'), { recursive: true });
  writeFileSync(path.join(world.runs, 'r', 'log.txt'), 'line 1\nline 2\nthe end\n');
  writeFileSync(path.join(root, 'secret.txt'), 'SECRET');
  symlinkSync(path.join(root, 'secret.txt'), path.join(world.runs, 'r', 'leak.txt'));
  execFileSync('mkfifo', [path.join(world.runs, 'r', 'fifo')]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const call = (args: unknown) => readTailTool(args, world.deps.config);
const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('readTailTool', () => {
  it('returns the last max_chars characters of a log, and the whole of a short one', async () => {
    expect(await call({ path: 'runs/r/log.txt', max_chars: 8 })).toEqual({ content: [{ type: 'text', text: 'the end\n' }], isError: false });
    expect(text(await call({ path: path.join(world.runs, 'r', 'log.txt') }))).toBe('line 1\nline 2\nthe end\n');
  });

  it("returns '' for a file that does not exist yet", async () => {
    expect(await call({ path: 'runs/r/not-yet.txt' })).toEqual({ content: [{ type: 'text', text: '' }], isError: false });
  });

  it('refuses bad arguments, paths outside the runs root and a symlink leading out, never showing the content', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^path is required$/],
      [{ path: 'runs/r/log.txt', max_chars: 0 }, /^max_chars must be a positive integer/],
      [{ path: path.join(root, 'secret.txt') }, /^path must be under /],
      [{ path: 'runs/../../secret.txt' }, /^path must be under /],
      [{ path: 'runs/r/leak.txt' }, /^path must be under /],
      [{ path: 'runs/r/log.txt\0' }, /^path must not contain NUL bytes/],
    ];
    for (const [args, message] of cases) {
      const result = await call(args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(text(result)).toMatch(message);
      expect(text(result)).not.toContain('SECRET');
    }
  });

  it('refuses a directory and a FIFO in one line, without blocking', async () => {
    for (const p of ['runs/r', 'runs/r/fifo']) {
      const result = await call({ path: p });
      expect(result.isError, p).toBe(true);
      expect(text(result)).not.toContain('\n');
    }
  });
});
