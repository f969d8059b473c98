/**
 * `npm run bench`: runs B1–B9 one after the other in one process and writes docs/benchmarks.md.
 *
 *   node dist/bench/run_all.js [B1 B2 ...]
 *
 * Environment:
 *   BENCH_QUICK=1    smoke run: fewer repetitions, smaller inputs
 *   BENCH_OUT=FILE   where to write the report. Default: docs/benchmarks.md for a full run of every
 *                    benchmark, else $TMPDIR/codex-child-benchmarks.md (a quick or partial run never
 *                    overwrites the published figures unless BENCH_OUT says so)
 *   BENCH_PROFILE=1  profile even when a target is met
 *   BENCH_BUDGET_S   overall time budget in seconds (default 1200, quick 300); a benchmark that runs
 *                    past it reports what it has, the rest are skipped
 *
 * Loopback only, bounded: every child process has a timeout, the whole run has a budget, and the
 * temp root ($TMPDIR/codex-child-bench-*) is removed at the end, also on SIGINT/SIGTERM.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchOverhead } from './b1_overhead.js';
import { benchStreamViews } from './b2_stream_views.js';
import { benchEnvSnapshot } from './b3_env_snapshot.js';
import { benchParallel } from './b4_parallel.js';
import { benchMcp } from './b5_mcp.js';
import { benchMcpStartup } from './b6_mcp_startup.js';
import { benchLatencies } from './b8_latencies.js';
import { benchStartup } from './b9_startup.js';
import { analysis } from './analysis.js';
import { DeadlineError, findRepoRoot, type BenchContext, type BenchSection } from './lib/context.js';
import { machineInfo } from './lib/machine.js';
import { renderReport } from './lib/report.js';

const BENCHES: { id: string; title: string; fn: (ctx: BenchContext) => Promise<BenchSection> }[] = [
  { id: 'B1', title: 'B1 — overhead per run', fn: benchOverhead },
  { id: 'B2', title: 'B2 — stream views (awk renderer throughput and memory)', fn: benchStreamViews },
  { id: 'B3', title: 'B3 — .env snapshot', fn: benchEnvSnapshot },
  { id: 'B4', title: 'B4 — parallel isolated runs', fn: benchParallel },
  { id: 'B5', title: 'B5 — MCP overhead', fn: benchMcp },
  { id: 'B6', title: 'B6 — MCP start-up', fn: benchMcpStartup },
  { id: 'B8', title: 'B8 — latencies formerly asserted in tests', fn: benchLatencies },
  { id: 'B9', title: 'B9 — wrapper start-up against `node -e 0`', fn: benchStartup },
];

async function main(): Promise<void> {
  const started = performance.now();
  const quick = process.env.BENCH_QUICK === '1';
  const args = process.argv.slice(2).map((a) => a.toUpperCase());
  const unknown = args.filter((a) => !BENCHES.some((b) => b.id === a));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.id).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const only = args.length > 0 ? args : null;
  const repoRoot = findRepoRoot();
  const budgetS = Number(process.env.BENCH_BUDGET_S) > 0 ? Number(process.env.BENCH_BUDGET_S) : quick ? 300 : 1200;
  const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'codex-child-bench-'));
  const cleanup = () => rmSync(tmpRoot, { recursive: true, force: true, maxRetries: 3 });
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      process.stderr.write(`[bench] ${signal}: removing ${tmpRoot}\n`);
      cleanup();
      process.exit(code);
    });
  }
  const ctx: BenchContext = {
    repoRoot,
    tmpRoot,
    quick,
    deadline: Date.now() + budgetS * 1000,
    log: (line) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`),
  };
  const machine = machineInfo();
  const sections: BenchSection[] = [];
  try {
    for (const bench of BENCHES) {
      if (only && !only.includes(bench.id)) continue;
      const dir = path.join(tmpRoot, bench.id.toLowerCase());
      mkdirSync(dir, { recursive: true });
      const t0 = performance.now();
      ctx.log(`${bench.id} start`);
      try {
        const section = await bench.fn(ctx);
        section.markdown += `\n\n_${bench.id} took ${((performance.now() - t0) / 1000).toFixed(0)} s._`;
        sections.push(section);
      } catch (error) {
        const message = error instanceof Error ? (error instanceof DeadlineError ? error.message : (error.stack ?? error.message)) : String(error);
        ctx.log(`${bench.id} failed: ${message}`);
        sections.push({
          id: bench.id,
          title: bench.title,
          headline: [{ bench: bench.id, metric: 'benchmark run', value: message.split('\n')[0] ?? 'error', target: '—', status: 'error' }],
          markdown: `The benchmark did not complete:\n\n\`\`\`text\n${message}\n\`\`\``,
          raw: null,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      }
    }
  } finally {
    cleanup();
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const fullRun = !quick && only === null;
  const outFile = process.env.BENCH_OUT
    ? path.resolve(process.env.BENCH_OUT)
    : fullRun
      ? path.join(repoRoot, 'docs', 'benchmarks.md')
      : path.join(os.tmpdir(), 'codex-child-benchmarks.md');
  const command = `${quick ? 'BENCH_QUICK=1 ' : ''}node dist/bench/run_all.js${only ? ` ${only.join(' ')}` : ''}`;
  const report = renderReport({ machine, sections, quick, only, totalSeconds, command, analysis: analysis(sections) });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, report);
  ctx.log(`done in ${totalSeconds.toFixed(0)} s; report: ${outFile}`);
  for (const row of sections.flatMap((s) => s.headline)) {
    process.stderr.write(`  ${row.bench} ${row.status.padEnd(6)} ${row.metric}: ${row.value} (target ${row.target})\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
