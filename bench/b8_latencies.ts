/**
 * B8 — latencies the test suite used to assert as wall-clock limits (issue 8 moved them here, so a
 * busy machine can no longer fail a test): the payload JSON parser on an 8 MiB document, a tail
 * read at the end of a sparse 3 GiB file, and tearing down a process group whose leader ignores
 * SIGTERM (SIGKILL after a 500 ms grace). Reported, not judged: there is no target.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parsePyJson } from '../src/compat/python/py_json.js';
import { terminateGroup } from '../src/infrastructure/process/process_group.js';
import { readTextTail } from '../src/mcp/text_tail.js';
import { checkDeadline, type BenchContext, type BenchSection } from './lib/context.js';
import { ms, summarize } from './lib/stats.js';

async function sample(ctx: BenchContext, what: string, runs: number, fn: () => Promise<void> | void): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    checkDeadline(ctx, what);
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Runs B8. */
export async function benchLatencies(ctx: BenchContext): Promise<BenchSection> {
  const runs = ctx.quick ? 3 : 10;
  const doc = JSON.stringify({
    description: 'x\\"é😀\n'.repeat(600_000),
    items: Array.from({ length: 100_000 }, (_, i) => ({ i, f: i + 0.5, s: `s${i}` })),
  });
  const parse = await sample(ctx, 'B8 parse', runs, () => {
    if (!parsePyJson(doc).ok) throw new Error('B8: the 8 MiB document did not parse');
  });
  const big = path.join(ctx.tmpRoot, 'b8', 'big.log');
  execFileSync('bash', ['-c', `mkdir -p "$(dirname "${big}")" && truncate -s 3G "${big}" && printf 'THE END\\n' >> "${big}"`]);
  const tail = await sample(ctx, 'B8 tail', runs, async () => {
    await readTextTail(big, 8, path.dirname(big));
  });
  const teardown = await sample(ctx, 'B8 teardown', ctx.quick ? 2 : 5, async () => {
    const child = spawn('bash', ['-c', "trap '' TERM; sleep 300 & wait"], { detached: true, stdio: 'ignore' });
    const exited = once(child, 'exit');
    await once(child, 'spawn');
    await terminateGroup(child.pid as number, 500, exited);
  });
  const rows = [
    ['payload parser, 8 MiB JSON (was: < 1 s in py_json.test.ts)', summarize(parse)],
    ['tail of a sparse 3 GiB file (was: < 1 s in test/unit/mcp/text_tail.test.ts)', summarize(tail)],
    ['group teardown, leader ignores SIGTERM, 500 ms grace (was: < 3 s in process_group.test.ts)', summarize(teardown)],
  ] as const;
  return {
    id: 'B8',
    title: 'B8 — latencies formerly asserted in tests',
    headline: rows.map(([metric, s]) => ({ bench: 'B8', metric, value: `${ms(s.median)} ms`, target: '—', status: 'info' as const })),
    markdown: [
      'Measured in-process, sequentially; median and min–max of the runs. These were wall-clock limits inside tests; the tests now assert only behaviour.',
      '',
      '| what | median ms | min–max ms | runs |',
      '|---|---|---|---|',
      ...rows.map(([metric, s]) => `| ${metric} | ${ms(s.median)} | ${ms(s.min)}–${ms(s.max)} | ${s.n} |`),
    ].join('\n'),
    raw: { parse, tail, teardown },
  };
}
