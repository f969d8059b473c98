/**
 * B2 — stream views: latency, throughput and memory of the awk views through the executor.
 *
 *  (a) latency: a fake codex writes marked events one at a time (20 ms apart, each kind the view
 *      renders, one in five on stderr) and notes the time just before each write; the benchmark notes
 *      when the marked line arrives on the executor's stderr. Target: every event within 10 ms.
 *  (b) throughput: the recorded codex 0.169 JSONL fixtures replicated (thread and item ids varied
 *      per replica) and `cat`ed by a fake codex through `bash scripts/codex_executor.sh` (fifo →
 *      tee → awk chunk encoder → merged fifo → awk view, `-W interactive` under mawk, LC_ALL=C,
 *      stream log to a file), the view on stderr → /dev/null. Target ≥ 10 MB/s in every view.
 *  (c) memory: the view stage alone on the pre-encoded stream, 10× the input; peak RSS = GNU
 *      time's %M. Target: flat (< +1 MiB).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { checkDeadline, type BenchContext, type BenchSection, type HeadlineRow } from './lib/context.js';
import { fixtureEventLines, writeCatCodex } from './lib/fake_codex.js';
import { HAVE_GNU_TIME, timedRun, which, type TimedRunResult } from './lib/proc.js';
import { kbToMb, mb, median, quantile, table } from './lib/stats.js';

const VIEWS = ['all', 'all_compact', 'assistant', 'thinking'] as const;
const TARGET_MBPS = 10;

/** Replicates the fixture lines into `file` until it holds at least `bytes` bytes; returns stats. */
export function generateEvents(file: string, bytes: number, lines: readonly string[]): { bytes: number; lines: number } {
  const fd = openSync(file, 'w');
  let written = 0;
  let count = 0;
  let replica = 0;
  let parts: string[] = [];
  let pending = 0;
  try {
    while (written + pending < bytes) {
      const hex = replica.toString(16).padStart(12, '0');
      const threadId = `01a1fc6d-${hex.slice(0, 4)}-7${hex.slice(4, 7)}-9${hex.slice(7, 10)}-${hex.padStart(12, 'f').slice(-12)}`;
      for (const line of lines) {
        const varied = line
          .replace(/"thread_id":"[^"]*"/g, `"thread_id":"${threadId}"`)
          .replace(/"item_(\d+)"/g, (_m, n: string) => `"item_${replica * 16 + Number(n)}"`);
        parts.push(varied, '\n');
        pending += Buffer.byteLength(varied) + 1;
        count += 1;
      }
      replica += 1;
      if (pending >= 4 * 1024 * 1024) {
        written += writeSync(fd, parts.join(''));
        parts = [];
        pending = 0;
      }
    }
    if (parts.length) written += writeSync(fd, parts.join(''));
  } finally {
    closeSync(fd);
  }
  return { bytes: written, lines: count };
}

interface Measure {
  label: string;
  awk: string;
  view: string;
  inputBytes: number;
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  ok: boolean;
}

const mbps = (bytes: number, msTime: number) => bytes / 1e6 / (msTime / 1000);

export async function benchStreamViews(ctx: BenchContext): Promise<BenchSection> {
  const dir = path.join(ctx.tmpRoot, 'b2');
  mkdirSync(dir, { recursive: true });
  const executor = path.join(ctx.repoRoot, 'scripts', 'codex_executor.sh');
  const viewAwk = path.join(ctx.repoRoot, 'scripts', 'stream_view.awk');
  const bigBytes = (ctx.quick ? 10 : 50) * 1e6;
  const smallBytes = bigBytes / 10;
  const fixture = fixtureEventLines();
  ctx.log(`B2: generating ${mb(bigBytes)} and ${mb(smallBytes)} of events`);
  const bigFile = path.join(dir, 'events_big.jsonl');
  const smallFile = path.join(dir, 'events_small.jsonl');
  const big = generateEvents(bigFile, bigBytes, fixture.all);
  const small = generateEvents(smallFile, smallBytes, fixture.all);
  const catCodex = writeCatCodex(dir);
  const promptFile = path.join(dir, 'prompt.txt');
  writeFileSync(promptFile, 'Render the recorded stream.\n');
  const logs = path.join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const gawk = which('gawk');
  const defaultAwk = which('awk') ?? 'awk';
  const primary = { name: `awk (${isMawk('awk') ? 'mawk' : 'default'})`, cmd: 'awk', interactive: isMawk('awk') };
  const measures: Measure[] = [];
  const reps = ctx.quick ? 1 : 2;
  const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: dir };
  const executorEnv = (awk: string, view: string) => ({
    ...baseEnv,
    TARGET_PROJECT_DIR: dir,
    CODEX_SANDBOX: 'danger-full-access',
    CODEX_STREAM_VIEW: view,
    CODEX_STREAM_LOGS: '1',
    CODEX_EXECUTOR_AWK: awk,
    CODEX_EXECUTOR_STDOUT_LOG: path.join(logs, 'codex_stdout.jsonl'),
    CODEX_EXECUTOR_STDERR_LOG: path.join(logs, 'codex_stderr.txt'),
    CODEX_EXECUTOR_STREAM_LOG: path.join(logs, 'stream.log'),
    CODEX_EXECUTOR_LAST_MESSAGE: path.join(logs, 'last_message.txt'),
    CODEX_EXECUTOR_WORK_DIR: dir,
    CODEX_EXECUTOR_WATCH_PID: String(process.pid),
  });

  // ------------------------------------------------------------------ (a) latency
  const latencyEvents = ctx.quick ? 60 : 250;
  const latency: Record<string, number[]> = {};
  const latencyFailures: string[] = [];
  for (const view of ['all', 'all_compact']) {
    checkDeadline(ctx, `B2 latency ${view}`);
    const r = await measureLatency(dir, executor, executorEnv('awk', view), latencyEvents, 20);
    latency[view] = r.latencies;
    if (r.missing.length) latencyFailures.push(`${view}: ${r.missing.length} marker(s) never shown`);
    ctx.log(`B2 latency ${view}: median ${median(r.latencies).toFixed(2)} ms, max ${Math.max(...r.latencies).toFixed(2)} ms`);
  }

  // ------------------------------------------------------------------ (b) throughput
  const pipeline = async (awk: { name: string; cmd: string }, view: string, file: string, bytes: number): Promise<Measure> => {
    const env = { ...executorEnv(awk.cmd, view), CODEX_BIN: catCodex, BENCH_EVENTS_FILE: file };
    const r = await timedRun('bash', [executor], { env, input: 'Render the recorded stream.\n', stdout: 'pipe', stderr: 'ignore', timeoutMs: 600_000 }, dir);
    const copied = existsSync(env.CODEX_EXECUTOR_STDOUT_LOG) ? statSync(env.CODEX_EXECUTOR_STDOUT_LOG).size : -1;
    const rendered = existsSync(env.CODEX_EXECUTOR_STREAM_LOG) ? statSync(env.CODEX_EXECUTOR_STREAM_LOG).size : -1;
    rmSync(logs, { recursive: true, force: true });
    mkdirSync(logs, { recursive: true });
    const m = toMeasure('executor pipeline', awk.name, view, bytes, r, r.code === 0 && copied === bytes && rendered > 0);
    measures.push(m);
    return m;
  };
  for (let rep = 0; rep < reps; rep += 1) {
    for (let i = 0; i < VIEWS.length; i += 1) {
      const view = VIEWS[(i + rep) % VIEWS.length] as string;
      checkDeadline(ctx, `B2 pipeline ${view}`);
      const m = await pipeline(primary, view, bigFile, big.bytes);
      ctx.log(`B2 ${primary.name} ${view} ${mb(big.bytes)}: ${mbps(big.bytes, m.wallMs).toFixed(1)} MB/s`);
      if (rep === 0) await pipeline(primary, view, smallFile, small.bytes);
    }
  }
  if (gawk && !isGawk('awk')) {
    for (const view of VIEWS) {
      checkDeadline(ctx, `B2 pipeline gawk ${view}`);
      await pipeline({ name: 'gawk', cmd: 'gawk' }, view, smallFile, small.bytes);
    }
  }

  // ------------------------------------------------------------------ (c) memory: the view stage alone
  checkDeadline(ctx, 'B2 stages');
  const taggedBig = path.join(dir, 'events_big.tagged');
  const taggedSmall = path.join(dir, 'events_small.tagged');
  const awkArgs = (...vars: string[]) => [...(primary.interactive ? ['-W', 'interactive'] : []), '-f', viewAwk, ...vars.flatMap((v) => ['-v', v])];
  const encode = async (input: string, output: string, bytes: number) => {
    const r = await timedRun(primary.cmd, awkArgs('mode=chunk', 'tag=O'), { env: { ...baseEnv, LC_ALL: 'C' }, stdout: 'ignore', stderr: 'ignore', timeoutMs: 600_000, stdinFile: input, stdoutFile: output }, dir);
    measures.push(toMeasure('chunk encoder alone', primary.name, '-', bytes, r, r.code === 0));
  };
  await encode(bigFile, taggedBig, big.bytes);
  await encode(smallFile, taggedSmall, small.bytes);
  const renderer = async (view: string, taggedFile: string, bytes: number) => {
    const streamLogFile = path.join(logs, 'stream.log');
    const env = { ...baseEnv, LC_ALL: 'C', SV_PROMPT_FILE: promptFile, SV_STREAM_LOG: streamLogFile };
    const r = await timedRun(primary.cmd, awkArgs('mode=tagged', `view=${view}`, 'max=180', 'display=1'), { env, stdout: 'ignore', stderr: 'ignore', timeoutMs: 600_000, stdinFile: taggedFile }, dir);
    rmSync(streamLogFile, { force: true });
    measures.push(toMeasure('view stage alone', primary.name, view, bytes, r, r.code === 0));
  };
  for (const view of VIEWS) {
    checkDeadline(ctx, `B2 view stage ${view}`);
    await renderer(view, taggedBig, big.bytes);
    await renderer(view, taggedSmall, small.bytes);
  }

  // ------------------------------------------------------------------ results
  const ok = (label: string, awk: string, view: string, bytes: number) => measures.filter((m) => m.label === label && m.awk === awk && m.view === view && m.inputBytes === bytes && m.ok);
  const md: string[] = [];
  const headline: HeadlineRow[] = [];
  const lat = Object.values(latency).flat();
  const q = (xs: number[], p: number) => quantile(xs, p).toFixed(2);
  md.push(
    `Latency: a bash fake codex writes ${latencyEvents} marked events, one every 20 ms, cycling through reasoning, agent_message, ` +
      'command_execution started and completed, and a line on its stderr, and takes `$EPOCHREALTIME` just before each write (a writer preempted after its write cannot then look early); ' +
      'the benchmark timestamps each chunk of the executor\'s stderr as it arrives (`performance.now()` pinned to the wall clock at a `Date.now()` tick) and ' +
      'matches the marker. So a figure is codex write → tee → chunk encoder → merged fifo → view → stderr pipe → this process, with ' +
      'the real executor (`CODEX_STREAM_LOGS=1`, the default awk).',
  );
  md.push('');
  md.push(
    table(
      ['view', 'events', 'median ms', 'p95 ms', 'p99 ms', 'max ms'],
      Object.entries(latency).map(([view, xs]) => [view, String(xs.length), q(xs, 0.5), q(xs, 0.95), q(xs, 0.99), Math.max(...xs).toFixed(2)]),
    ),
  );
  if (latencyFailures.length) md.push('', `Missing markers: ${latencyFailures.join('; ')}.`);
  md.push('');
  md.push(
    `Throughput and memory input: the JSON lines of the recorded fixtures (${fixture.source}: events.jsonl, events-extended.jsonl, ` +
      `events-errors.txt; ${fixture.all.length} lines, ${(fixture.all.join('\n').length / fixture.all.length).toFixed(0)} bytes per line on average) ` +
      `replicated with new thread and item ids per replica: ${mb(big.bytes)} (${big.lines.toLocaleString('en-US')} lines) and ` +
      `${mb(small.bytes)} (${small.lines.toLocaleString('en-US')} lines). "executor pipeline": \`bash scripts/codex_executor.sh\` with ` +
      '`CODEX_BIN` = a sh script that reads the prompt and `exec cat`s the events file, stdout/stderr/stream logs to files, the live ' +
      'view to /dev/null; MB/s = input bytes / executor wall time. "view stage alone": `awk -f stream_view.awk -v mode=tagged ' +
      '-v view=… -v max=180 -v display=1` (with `-W interactive` under mawk) on the pre-encoded stream, stream log to a file. ' +
      '"chunk encoder alone": `-v mode=chunk -v tag=O`, file → file. CPU = user+sys of the tree (GNU time); RSS = GNU time %M, ' +
      `the largest single process. ${reps} run(s) per view on the big input, 1 on the small one; gawk: small input only.`,
  );
  md.push('');
  const rows: string[][] = [];
  const row = (label: string, awk: string, view: string) => {
    const b = ok(label, awk, view, big.bytes);
    const s2 = ok(label, awk, view, small.bytes);
    if (!b.length && !s2.length) return;
    const thr = b.map((m) => mbps(m.inputBytes, m.wallMs));
    const rssB = median(b.map((m) => m.maxRssKb));
    const rssS = median(s2.map((m) => m.maxRssKb));
    rows.push([
      label, awk, view,
      b.length ? `${median(thr).toFixed(1)} (${Math.min(...thr).toFixed(1)}–${Math.max(...thr).toFixed(1)})` : 'n/a',
      b.length ? median(b.map((m) => mbps(m.inputBytes, m.cpuMs))).toFixed(1) : 'n/a',
      s2.length ? median(s2.map((m) => mbps(m.inputBytes, m.wallMs))).toFixed(1) : 'n/a',
      `${kbToMb(rssS)} → ${kbToMb(rssB)}`,
      Number.isFinite(rssB - rssS) ? `${rssB - rssS >= 0 ? '+' : ''}${((rssB - rssS) / 1024).toFixed(2)} MiB` : 'n/a',
      String(b.length + s2.length) + (measures.some((m) => m.label === label && m.awk === awk && m.view === view && !m.ok) ? ' (failures!)' : ''),
    ]);
  };
  for (const view of VIEWS) row('executor pipeline', primary.name, view);
  for (const view of VIEWS) row('view stage alone', primary.name, view);
  for (const view of VIEWS) row('executor pipeline', 'gawk', view);
  row('chunk encoder alone', primary.name, '-');
  md.push(
    table(
      ['what', 'awk', 'view', `MB/s wall, ${mb(big.bytes)} median (min–max)`, 'MB/s per CPU-second', `MB/s wall, ${mb(small.bytes)}`, `peak RSS ${mb(small.bytes)} → ${mb(big.bytes)}`, 'RSS growth', 'runs'],
      rows,
    ),
  );
  md.push('');
  md.push(`Defaults here: \`awk\` = ${defaultAwk}${isMawk('awk') ? ' (mawk, so the executor adds `-W interactive`)' : ''}; GNU time ${HAVE_GNU_TIME ? 'present' : 'missing (RSS n/a)'}.`);

  const maxLat = lat.length ? Math.max(...lat) : Number.NaN;
  headline.push({
    bench: 'B2',
    metric: `event written by codex → its line on the executor's stderr, ${lat.length} events, all + all_compact (median / p95 / max)`,
    value: lat.length ? `${q(lat, 0.5)} / ${q(lat, 0.95)} / ${maxLat.toFixed(2)} ms` : 'n/a',
    target: 'each ≤ 10 ms',
    status: !lat.length || latencyFailures.length ? 'error' : maxLat <= 10 ? 'met' : 'missed',
  });
  const pipeBig = VIEWS.map((view) => ({ view, thr: median(ok('executor pipeline', primary.name, view, big.bytes).map((m) => mbps(m.inputBytes, m.wallMs))) }));
  const slowest = pipeBig.reduce((x, y) => (y.thr < x.thr ? y : x));
  const fastest = pipeBig.reduce((x, y) => (y.thr > x.thr ? y : x));
  headline.push({
    bench: 'B2',
    metric: `stream-view throughput through the executor, ${mb(big.bytes)} of fixture events, ${primary.name} (slowest … fastest view)`,
    value: `${slowest.thr.toFixed(1)} MB/s (${slowest.view}) … ${fastest.thr.toFixed(1)} MB/s (${fastest.view})`,
    target: `≥ ${TARGET_MBPS} MB/s`,
    status: Number.isFinite(slowest.thr) ? (slowest.thr >= TARGET_MBPS ? 'met' : 'missed') : 'error',
  });
  const growth = VIEWS.map((view) => {
    const b = median(ok('view stage alone', primary.name, view, big.bytes).map((m) => m.maxRssKb));
    const s2 = median(ok('view stage alone', primary.name, view, small.bytes).map((m) => m.maxRssKb));
    return { view, b, s: s2, growth: b - s2 };
  });
  const worst = growth.reduce((x, y) => (y.growth > x.growth ? y : x));
  headline.push({
    bench: 'B2',
    metric: `view stage peak RSS, ${mb(small.bytes)} → ${mb(big.bytes)} input (largest growth over the views)`,
    value: `${kbToMb(worst.s)} → ${kbToMb(worst.b)} (${worst.growth >= 0 ? '+' : ''}${(worst.growth / 1024).toFixed(2)} MiB, ${worst.view})`,
    target: 'flat: < +1 MiB for 10× the input',
    status: Number.isFinite(worst.growth) ? (worst.growth < 1024 ? 'met' : 'missed') : 'error',
  });
  return {
    id: 'B2',
    title: 'B2 — stream views (latency, throughput and memory through the executor)',
    headline,
    markdown: md.join('\n'),
    raw: { big, small, latency, measures },
  };
}

/**
 * Runs the executor with a fake codex that writes `count` marked events `paceMs` apart and
 * returns, per event, the ms from the write to the marked line on the executor's stderr.
 */
async function measureLatency(dir: string, executor: string, env: Record<string, string>, count: number, paceMs: number): Promise<{ latencies: number[]; missing: number[] }> {
  const eventsFile = path.join(dir, 'latency_events.txt');
  const timesFile = path.join(dir, 'latency_times.txt');
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const mark = `lat-${i}`;
    const item = (type: string, extra: Record<string, unknown>) => JSON.stringify({ type, item: { id: `item_${i}`, ...extra } });
    switch (i % 5) {
      case 0: lines.push(item('item.completed', { type: 'reasoning', text: `**Thinking**\n\n${mark}` })); break;
      case 1: lines.push(item('item.completed', { type: 'agent_message', text: mark })); break;
      case 2: lines.push(item('item.started', { type: 'command_execution', command: mark, aggregated_output: '', exit_code: null, status: 'in_progress' })); break;
      case 3: lines.push(item('item.completed', { type: 'command_execution', command: `echo ${i}`, aggregated_output: `${mark}\n`, exit_code: 0, status: 'completed' })); break;
      default: lines.push(`E:${mark}`); // a line on codex's stderr
    }
  }
  writeFileSync(eventsFile, `${lines.join('\n')}\n`);
  const fake = path.join(dir, 'paced_codex.sh');
  writeFileSync(fake, [
    '#!/usr/bin/env bash',
    '# Fake codex (bench B2 latency): prompt read to EOF, then one event per line of $BENCH_EVENTS_FILE,',
    '# written with one builtin printf each; the wall clock just before each write goes to $BENCH_TIMES_FILE',
    '# (before: taken after, a preempted writer would note a time later than the reader saw the line).',
    'cat >/dev/null',
    'exec 3>"$BENCH_TIMES_FILE"',
    'while IFS= read -r line; do',
    '    t=$EPOCHREALTIME',
    '    if [[ $line == E:* ]]; then printf \'%s\\n\' "${line#E:}" >&2; else printf \'%s\\n\' "$line"; fi',
    '    printf \'%s\\n\' "$t" >&3',
    `    sleep ${(paceMs / 1000).toFixed(3)}`,
    'done <"$BENCH_EVENTS_FILE"',
    '',
  ].join('\n'));
  chmodSync(fake, 0o755);
  // performance.now() is fine-grained but its origin is only roughly the wall clock bash reads:
  // pin the offset at a Date.now() tick (both read the system clock; a tick is exact to ~µs).
  const t0 = Date.now();
  while (Date.now() === t0) { /* spin to the next millisecond tick */ }
  const offset = Date.now() - performance.now();
  const arrivals = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [executor], { env: { ...env, CODEX_BIN: fake, BENCH_EVENTS_FILE: eventsFile, BENCH_TIMES_FILE: timesFile }, stdio: ['pipe', 'ignore', 'pipe'] });
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const now = offset + performance.now();
      const parts = (pending + chunk.toString('utf8')).split('\n');
      pending = parts.pop() ?? '';
      for (const l of parts) {
        const m = /(?:^| )(lat-\d+)$/.exec(l);
        if (m && !arrivals.has(m[1]!)) arrivals.set(m[1]!, now);
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve());
    child.stdin.end('Latency run.\n');
  });
  const written = readFileSync(timesFile, 'utf8').trim().split('\n').map((t) => Number(t) * 1000);
  const latencies: number[] = [];
  const missing: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = arrivals.get(`lat-${i}`);
    if (at === undefined || written[i] === undefined) missing.push(i);
    else latencies.push(at - written[i]!);
  }
  return { latencies, missing };
}

function toMeasure(label: string, awk: string, view: string, inputBytes: number, r: TimedRunResult, ok: boolean): Measure {
  return { label, awk, view, inputBytes, wallMs: r.wallMs, cpuMs: r.userMs + r.sysMs, maxRssKb: r.maxRssKb, ok: ok && !r.timedOut };
}

function isMawk(cmd: string): boolean {
  const r = which(cmd);
  if (r === null) return false;
  return /mawk/i.test(versionOf(cmd));
}

function isGawk(cmd: string): boolean {
  return /GNU Awk/i.test(versionOf(cmd));
}


function versionOf(cmd: string): string {
  const r = spawnSync(cmd, ['-W', 'version'], { encoding: 'utf8', input: '' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}
