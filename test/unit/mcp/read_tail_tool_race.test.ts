/**
 * Issue 9 items 2 and 8 for `art_loop.read_text_tail`: a directory flipping between a real
 * directory and a symlink to the outside while the tool reads gives 0 outside reads over
 * 600 calls; a 10,000-component path is refused (the cap keeps the check linear; timing lives in
 * bench/b7_path_checks.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/mcp/config.js';
import { readTailTool } from '../../../src/mcp/read_tail_tool.js';

let root: string;
let config: ServerConfig;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tail-race-')));
  const repo = path.join(root, 'repo');
  const runs = path.join(repo, 'runs');
  mkdirSync(runs, { recursive: true });
  config = { repoRoot: repo, runsRoot: runs, env: { HOME: root } } as unknown as ServerConfig;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('read_text_tail against a flipping directory', () => {
  it('never returns outside content while v01 flips between a real dir and a symlink (600 calls)', async () => {
    const iter = path.join(config.runsRoot, 'run_race', 'iter_01');
    const real = path.join(iter, 'v01.real');
    const link = path.join(iter, 'v01.link');
    const outside = path.join(root, 'outside');
    mkdirSync(real, { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(real, 'log.txt'), 'INSIDE\n');
    writeFileSync(path.join(outside, 'log.txt'), 'OUTSIDE SECRET\n');
    const counter = path.join(root, 'flips');
    // The flipper renames the real dir and a symlink to the outside in and out of place
    // (rename(2) is atomic), as fast as it can, until it is killed; it counts its flips.
    const flipper = spawn('python3', [
      '-c',
      `import os, sys
iter_dir, real, link, outside, counter = sys.argv[1:]
os.symlink(outside, link)
target = os.path.join(iter_dir, 'v01')
n = 0
while True:
    os.rename(real, target); os.rename(target, real)
    os.rename(link, target); os.rename(target, link)
    n += 1
    if n % 50 == 0:
        with open(counter + '.new', 'w') as f: f.write(str(n))
        os.replace(counter + '.new', counter)`,
      iter,
      real,
      link,
      outside,
      counter,
    ], { stdio: 'ignore' });
    try {
      // The counter file is replaced atomically, so every read sees a whole number.
      const flips = () => (existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0);
      const deadline = Date.now() + 60_000;
      while (flips() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const flipsBefore = flips();
      const tally = { inside: 0, outside: 0, refused: 0, empty: 0 };
      for (let i = 0; i < 600; i += 1) {
        const result = await readTailTool({ path: 'runs/run_race/iter_01/v01/log.txt', max_chars: 100 }, config);
        const body = text(result);
        if (body.includes('OUTSIDE')) tally.outside += 1;
        else if (result.isError) tally.refused += 1;
        else if (body === 'INSIDE\n') tally.inside += 1;
        else tally.empty += 1;
      }
      expect(tally.outside).toBe(0);
      expect(tally.inside + tally.refused + tally.empty).toBe(600);
      // The race really ran: the flipper flipped during the reads.
      expect(flipsBefore).toBeGreaterThan(0);
      expect(flips()).toBeGreaterThan(flipsBefore);
    } finally {
      flipper.kill('SIGKILL');
    }
  }, 120_000);
});

describe('read_text_tail path length', () => {
  it('refuses 10,000- and 40,000-component paths with one line', async () => {
    for (const count of [10_000, 40_000]) {
      const input = `runs/${'a/'.repeat(count)}log.txt`;
      const result = await readTailTool({ path: input, max_chars: 10 }, config);
      expect(result.isError).toBe(true);
      expect(text(result)).toBe(`path is too long: ${Buffer.byteLength(input)} bytes (at most 4096)`);
    }
  }, 30_000);
});
