/**
 * B7 — path-check cost (issue 9 item 8): `art_loop.read_text_tail`'s path rule on paths of
 * 1,000 to 40,000 components, and on the longest accepted path (4,096 bytes of `a/` under a real
 * runs root). Before the fix a 40,000-component path took 26 s (a quadratic walk); now anything
 * above 4,096 bytes is refused before the walk, and the walk is a stack (O(1) per component).
 * Run: `npx tsx bench/b7_path_checks.ts` (standalone; prints one line per case).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkTailPath, MAX_PATH_BYTES } from '../src/mcp/path_policy.js';

async function main(): Promise<void> {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'b6-')));
  const runs = path.join(root, 'runs');
  mkdirSync(runs);
  try {
    const longest = `runs/${'a/'.repeat(Math.floor((MAX_PATH_BYTES - 'runs/log.txt'.length) / 2))}log.txt`;
    const cases: Array<[string, string]> = [
      ...[1_000, 10_000, 40_000].map((n): [string, string] => [`${n} components`, `runs/${'a/'.repeat(n)}log.txt`]),
      [`${Buffer.byteLength(longest)} bytes (accepted)`, longest],
    ];
    for (const [label, input] of cases) {
      const times: number[] = [];
      let verdict = '';
      for (let i = 0; i < 5; i += 1) {
        const start = performance.now();
        const checked = await checkTailPath(input, runs, { base: root });
        times.push(performance.now() - start);
        verdict = checked.ok ? 'accepted' : `refused (${checked.error.slice(0, 40)}…)`;
      }
      times.sort((a, b) => a - b);
      console.log(`${label.padEnd(28)} median ${(times[2] as number).toFixed(2)} ms  max ${(times[4] as number).toFixed(2)} ms  ${verdict}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
