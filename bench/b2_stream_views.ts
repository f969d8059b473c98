/**
 * B2 — stream views: throughput and memory of the awk renderer on a large recorded event stream.
 *
 * Input: the recorded codex 0.169 JSONL fixtures replicated to 200 MB (20 MB for the memory
 * comparison), thread and item ids varied per replica. Three ways of running it:
 *  (a) the executor itself: `bash scripts/codex_executor.sh` with a fake codex that `cat`s the
 *      file, so the stream goes exactly the executor's way (fifo → tee → awk chunk encoder →
 *      merged fifo → awk renderer, `-W interactive` under mawk, LC_ALL=C, stream log to a file),
 *      the view on stderr → /dev/null;
 *  (b) the renderer stage alone, invoked with the executor's flags on the pre-encoded stream;
 *  (c) the chunk encoder stage alone.
 * Peak RSS = GNU time's %M (largest process of the tree). The same with gawk when installed.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { checkDeadline, type BenchContext, type BenchSection, type HeadlineRow } from './lib/context.js';
import { fixtureEventLines, writeCatCodex } from './lib/fake_codex.js';
import { HAVE_GNU_TIME, timedRun, which, type TimedRunResult } from './lib/proc.js';
import { kbToMb, mb, median, table } from './lib/stats.js';
import { HAVE_STRACE, syscallSummary } from './lib/trace.js';

const VIEWS = ['all', 'all_compact', 'assistant', 'thinking'] as const;
const TARGET_MBPS = 100;

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
  const bigBytes = (ctx.quick ? 20 : 200) * 1e6;
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
  const awks: { name: string; cmd: string; interactive: boolean }[] = [{ name: `awk (${isMawk('awk') ? 'mawk' : 'default'})`, cmd: 'awk', interactive: isMawk('awk') }];
  if (gawk && !isGawk('awk')) awks.push({ name: 'gawk', cmd: 'gawk', interactive: false });
  const measures: Measure[] = [];
  const reps = ctx.quick ? 1 : 3;

  const baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    TMPDIR: dir,
  };

  const pipeline = async (awk: (typeof awks)[number], view: string, file: string, bytes: number, label: string): Promise<Measure> => {
    const env = {
      ...baseEnv,
      CODEX_BIN: catCodex,
      BENCH_EVENTS_FILE: file,
      TARGET_PROJECT_DIR: dir,
      CODEX_SANDBOX: 'danger-full-access',
      CODEX_STREAM_VIEW: view,
      CODEX_STREAM_LOGS: '1',
      CODEX_EXECUTOR_AWK: awk.cmd,
      CODEX_EXECUTOR_STDOUT_LOG: path.join(logs, 'codex_stdout.jsonl'),
      CODEX_EXECUTOR_STDERR_LOG: path.join(logs, 'codex_stderr.txt'),
      CODEX_EXECUTOR_STREAM_LOG: path.join(logs, 'stream.log'),
      CODEX_EXECUTOR_LAST_MESSAGE: path.join(logs, 'last_message.txt'),
      CODEX_EXECUTOR_WORK_DIR: dir,
      CODEX_EXECUTOR_WATCH_PID: String(process.pid),
    };
    const r = await timedRun('bash', [executor], { env, input: 'Render the recorded stream.\n', stdout: 'pipe', stderr: 'ignore', timeoutMs: 600_000 }, dir);
    const copied = existsSync(env.CODEX_EXECUTOR_STDOUT_LOG) ? statSync(env.CODEX_EXECUTOR_STDOUT_LOG).size : -1;
    const rendered = existsSync(env.CODEX_EXECUTOR_STREAM_LOG) ? statSync(env.CODEX_EXECUTOR_STREAM_LOG).size : -1;
    rmSync(logs, { recursive: true, force: true });
    mkdirSync(logs, { recursive: true });
    const m = toMeasure(label, awk.name, view, bytes, r, r.code === 0 && copied === bytes && rendered > 0);
    measures.push(m);
    return m;
  };

  const renderer = async (awk: (typeof awks)[number], view: string, taggedFile: string, bytes: number, label: string, extra: string[] = [], streamLog = true, interactive = awk.interactive) => {
    const args = [...(interactive ? ['-W', 'interactive'] : []), '-f', viewAwk, '-v', 'mode=tagged', '-v', `view=${view}`, '-v', 'max=180', '-v', 'display=1', ...extra];
    const streamLogFile = path.join(logs, 'stream.log');
    const env = { ...baseEnv, LC_ALL: 'C', SV_PROMPT_FILE: promptFile, ...(streamLog ? { SV_STREAM_LOG: streamLogFile } : {}) };
    const r = await timedRun(awk.cmd, args, { env, input: undefined, stdout: 'ignore', stderr: 'ignore', timeoutMs: 600_000, stdinFile: taggedFile }, dir);
    rmSync(streamLogFile, { force: true });
    const m = toMeasure(label, awk.name, view, bytes, r, r.code === 0);
    measures.push(m);
    return m;
  };

  // ------------------------------------------------------------------ (a) the executor pipeline
  for (const awk of awks) {
    const useBig = awk === awks[0] || !ctx.quick;
    for (let rep = 0; rep < (awk === awks[0] ? reps : 1); rep += 1) {
      for (let i = 0; i < VIEWS.length; i += 1) {
        const view = VIEWS[(i + rep) % VIEWS.length] as string;
        checkDeadline(ctx, `B2 pipeline ${awk.name} ${view}`);
        if (useBig) {
          const m = await pipeline(awk, view, bigFile, big.bytes, 'executor pipeline');
          ctx.log(`B2 ${awk.name} ${view} ${mb(big.bytes)}: ${mbps(big.bytes, m.wallMs).toFixed(1)} MB/s, RSS ${kbToMb(m.maxRssKb)}`);
        }
        if (rep === 0) await pipeline(awk, view, smallFile, small.bytes, 'executor pipeline');
      }
    }
  }

  // ------------------------------------------------------------------ (b), (c) the stages alone
  checkDeadline(ctx, 'B2 stages');
  const taggedBig = path.join(dir, 'events_big.tagged');
  const taggedSmall = path.join(dir, 'events_small.tagged');
  const primary = awks[0] as (typeof awks)[number];
  const encode = async (input: string, output: string, bytes: number) => {
    const args = [...(primary.interactive ? ['-W', 'interactive'] : []), '-f', viewAwk, '-v', 'mode=chunk', '-v', 'tag=O'];
    const r = await timedRun(primary.cmd, args, { env: { ...baseEnv, LC_ALL: 'C' }, stdout: 'ignore', stderr: 'ignore', timeoutMs: 600_000, stdinFile: input, stdoutFile: output }, dir);
    measures.push(toMeasure('chunk encoder alone', primary.name, '-', bytes, r, r.code === 0));
  };
  await encode(bigFile, taggedBig, big.bytes);
  await encode(smallFile, taggedSmall, small.bytes);
  for (let rep = 0; rep < reps; rep += 1) {
    for (let i = 0; i < VIEWS.length; i += 1) {
      const view = VIEWS[(i + rep) % VIEWS.length] as string;
      checkDeadline(ctx, `B2 renderer ${view}`);
      await renderer(primary, view, taggedBig, big.bytes, 'renderer alone');
      if (rep === 0) await renderer(primary, view, taggedSmall, small.bytes, 'renderer alone');
    }
  }

  // ------------------------------------------------------------------ results
  const byKey = (label: string, awk: string, view: string, bytes: number) => measures.filter((m) => m.label === label && m.awk === awk && m.view === view && m.inputBytes === bytes && m.ok);
  const md: string[] = [];
  const headline: HeadlineRow[] = [];
  md.push(
    `Input: the JSON lines of the recorded fixtures (${fixture.source}: events.jsonl, events-extended.jsonl, events-errors.txt; ` +
      `${fixture.all.length} lines) replicated with new thread ids and item ids per replica: ${mb(big.bytes)} (${big.lines.toLocaleString('en-US')} lines) and ` +
      `${mb(small.bytes)} (${small.lines.toLocaleString('en-US')} lines).`,
  );
  md.push('');
  md.push(
    'Method (a) "executor pipeline": `bash scripts/codex_executor.sh` with `CODEX_BIN` = a sh script that reads the prompt and then ' +
      '`exec cat`s the events file, `CODEX_STREAM_VIEW=<view>`, `CODEX_STREAM_LOGS=1`, stdout/stderr/stream logs to files in $TMPDIR, ' +
      'the live view (executor stderr) to /dev/null. So the bytes take the real path: fifo → `tee` → awk chunk encoder → merged fifo → ' +
      'awk renderer (`LC_ALL=C awk -W interactive -f stream_view.awk -v mode=tagged -v view=… -v max=180 -v display=1` under mawk, ' +
      'SV_STREAM_LOG=file). MB/s = input bytes / wall time of the executor. CPU = user+sys of the whole tree (GNU time). ' +
      'RSS = GNU time %M, the largest single process of the tree. ' +
      `Method (b) "renderer alone": the renderer command above on the pre-encoded (chunk-mode) stream read from a file, view to /dev/null, stream log to a file. ` +
      `(c) "chunk encoder alone": \`awk -W interactive -f stream_view.awk -v mode=chunk -v tag=O\` file → file. ${reps} run(s) per view on the big input ` +
      '(view order rotated; gawk: 1), 1 on the small one. Memory is "flat" when the peak RSS grows by less than 1 MiB for 10× the input ' +
      '(mawk\'s allocator moves the peak by ±0.2 MiB from run to run; anything proportional to the input would add hundreds of MiB).',
  );
  md.push('');
  const rows: string[][] = [];
  for (const awk of awks) {
    for (const label of ['executor pipeline', 'renderer alone']) {
      if (label === 'renderer alone' && awk !== primary) continue;
      for (const view of VIEWS) {
        const b = byKey(label, awk.name, view, big.bytes);
        const s = byKey(label, awk.name, view, small.bytes);
        if (!b.length && !s.length) continue;
        const thr = b.map((m) => mbps(m.inputBytes, m.wallMs));
        const cpuThr = b.map((m) => mbps(m.inputBytes, m.cpuMs));
        const rssB = median(b.map((m) => m.maxRssKb));
        const rssS = median(s.map((m) => m.maxRssKb));
        const thrS = s.map((m) => mbps(m.inputBytes, m.wallMs));
        rows.push([
          label,
          awk.name,
          view,
          b.length ? `${median(thr).toFixed(1)} (${Math.min(...thr).toFixed(1)}–${Math.max(...thr).toFixed(1)})` : 'n/a',
          b.length ? median(cpuThr).toFixed(1) : 'n/a',
          s.length ? median(thrS).toFixed(1) : 'n/a',
          `${kbToMb(rssS)} → ${kbToMb(rssB)}`,
          Number.isFinite(rssB - rssS) ? `${rssB - rssS >= 0 ? '+' : ''}${((rssB - rssS) / 1024).toFixed(2)} MiB` : 'n/a',
          String(b.length + s.length) + (measures.some((m) => m.label === label && m.awk === awk.name && m.view === view && !m.ok) ? ' (failures!)' : ''),
        ]);
      }
    }
  }
  const enc = (bytes: number) => measures.filter((m) => m.label === 'chunk encoder alone' && m.inputBytes === bytes && m.ok);
  const encB = enc(big.bytes);
  const encS = enc(small.bytes);
  if (encB.length) {
    rows.push([
      'chunk encoder alone',
      primary.name,
      '-',
      mbps(big.bytes, median(encB.map((m) => m.wallMs))).toFixed(1),
      mbps(big.bytes, median(encB.map((m) => m.cpuMs))).toFixed(1),
      encS.length ? mbps(small.bytes, median(encS.map((m) => m.wallMs))).toFixed(1) : 'n/a',
      `${kbToMb(median(encS.map((m) => m.maxRssKb)))} → ${kbToMb(median(encB.map((m) => m.maxRssKb)))}`,
      `${((median(encB.map((m) => m.maxRssKb)) - median(encS.map((m) => m.maxRssKb))) / 1024).toFixed(2)} MiB`,
      String(encB.length + encS.length),
    ]);
  }
  md.push(
    table(
      ['what', 'awk', 'view', `MB/s wall, ${mb(big.bytes)} median (min–max)`, 'MB/s per CPU-second', `MB/s wall, ${mb(small.bytes)}`, `peak RSS ${mb(small.bytes)} → ${mb(big.bytes)}`, 'RSS growth', 'runs'],
      rows,
    ),
  );
  md.push('');
  md.push(`Defaults here: \`awk\` = ${defaultAwk}${isMawk('awk') ? ' (mawk, so the executor adds `-W interactive`)' : ''}; GNU time ${HAVE_GNU_TIME ? 'present' : 'missing (RSS n/a)'}.`);

  // headline: the slowest view through the real executor with the default awk
  const pipeBig = VIEWS.map((view) => ({ view, thr: median(byKey('executor pipeline', primary.name, view, big.bytes).map((m) => mbps(m.inputBytes, m.wallMs))) }));
  const slowest = pipeBig.reduce((a, b) => (b.thr < a.thr ? b : a));
  const fastest = pipeBig.reduce((a, b) => (b.thr > a.thr ? b : a));
  headline.push({
    bench: 'B2',
    metric: `stream-view throughput through the executor, ${mb(big.bytes)}, ${primary.name} (slowest … fastest view)`,
    value: `${slowest.thr.toFixed(1)} MB/s (${slowest.view}) … ${fastest.thr.toFixed(1)} MB/s (${fastest.view})`,
    target: `≥ ${TARGET_MBPS} MB/s`,
    status: Number.isFinite(slowest.thr) ? (slowest.thr >= TARGET_MBPS ? 'met' : 'missed') : 'error',
  });
  const rssGrowth = VIEWS.map((view) => {
    const b = median(byKey('renderer alone', primary.name, view, big.bytes).map((m) => m.maxRssKb));
    const s = median(byKey('renderer alone', primary.name, view, small.bytes).map((m) => m.maxRssKb));
    return { view, b, s, growth: b - s };
  });
  const worst = rssGrowth.reduce((a, b) => (b.growth > a.growth ? b : a));
  headline.push({
    bench: 'B2',
    metric: `renderer peak RSS, ${mb(small.bytes)} → ${mb(big.bytes)} input (largest growth over the views)`,
    value: `${kbToMb(worst.s)} → ${kbToMb(worst.b)} (${worst.growth >= 0 ? '+' : ''}${(worst.growth / 1024).toFixed(2)} MiB, ${worst.view})`,
    target: 'flat: < +1 MiB for 10× the input',
    status: Number.isFinite(worst.growth) ? (worst.growth < 1024 ? 'met' : 'missed') : 'error',
  });
  if (awks.length > 1) {
    const g = awks[1] as (typeof awks)[number];
    const gb = VIEWS.map((view) => median(byKey('executor pipeline', g.name, view, ctx.quick ? small.bytes : big.bytes).map((m) => mbps(m.inputBytes, m.wallMs))));
    headline.push({
      bench: 'B2',
      metric: `same through the executor with gawk (CODEX_EXECUTOR_AWK=gawk), slowest … fastest view`,
      value: `${Math.min(...gb).toFixed(1)} … ${Math.max(...gb).toFixed(1)} MB/s`,
      target: 'not required',
      status: 'info',
    });
  }

  // ------------------------------------------------------------------ profile when missed
  if (headline.some((h) => h.status === 'missed') || process.env.BENCH_PROFILE === '1') {
    checkDeadline(ctx, 'B2 profile');
    ctx.log('B2: profiling the renderer');
    md.push('');
    md.push('### B2 profile — where the renderer\'s time goes');
    md.push('');
    md.push(
      `Renderer stage alone on the ${mb(small.bytes)} pre-encoded stream, view \`all\`, ${primary.name}, one knob changed at a time ` +
        '(3 runs each, alternated; median wall and CPU):',
    );
    md.push('');
    const jsonMode = async (awk: (typeof awks)[number], file: string, bytes: number) => {
      const r = await timedRun(awk.cmd, ['-f', viewAwk, '-v', 'view=all', '-v', 'flush=0'], { env: { ...baseEnv, LC_ALL: 'C' }, stdout: 'ignore', stderr: 'ignore', timeoutMs: 600_000, stdinFile: file }, dir);
      return toMeasure('variant-json', awk.name, 'all', bytes, r, r.code === 0);
    };
    const variants: { name: string; run: () => Promise<Measure> }[] = [
      { name: 'as the executor runs it (-W interactive, flush=1, stream log)', run: () => renderer(primary, 'all', taggedSmall, small.bytes, 'variant', [], true, primary.interactive) },
      { name: 'without -W interactive (stdout block-buffered), flush=1, stream log', run: () => renderer(primary, 'all', taggedSmall, small.bytes, 'variant', [], true, false) },
      { name: '… and flush=0 (no fflush per line)', run: () => renderer(primary, 'all', taggedSmall, small.bytes, 'variant', ['-v', 'flush=0'], true, false) },
      { name: '… and no stream log', run: () => renderer(primary, 'all', taggedSmall, small.bytes, 'variant', ['-v', 'flush=0'], false, false) },
      { name: 'json mode on the raw JSONL (no tagged records), flush=0, no log', run: () => jsonMode(primary, smallFile, small.bytes) },
    ];
    const results = new Map<string, Measure[]>(variants.map((v) => [v.name, []]));
    for (let rep = 0; rep < 3; rep += 1) for (const v of variants) (results.get(v.name) as Measure[]).push(await v.run());
    md.push(
      table(
        ['renderer variant', 'MB/s wall', 'CPU ms', 'wall ms'],
        variants.map((v) => {
          const ms = (results.get(v.name) as Measure[]).filter((m) => m.ok);
          const wall = median(ms.map((m) => m.wallMs));
          return [v.name, mbps(small.bytes, wall).toFixed(1), median(ms.map((m) => m.cpuMs)).toFixed(0), wall.toFixed(0)];
        }),
      ),
    );
    if (HAVE_STRACE) {
      const sliceFile = path.join(dir, 'slice.tagged');
      const lines = await sliceLines(taggedSmall, sliceFile, 20_000);
      const args = [...(primary.interactive ? ['-W', 'interactive'] : []), '-f', viewAwk, '-v', 'mode=tagged', '-v', 'view=all', '-v', 'max=180', '-v', 'display=1'];
      const sys = await syscallSummary(primary.cmd, args, { env: { ...baseEnv, LC_ALL: 'C', SV_STREAM_LOG: path.join(logs, 'slice.log'), SV_PROMPT_FILE: promptFile }, stdout: 'ignore', stderr: 'ignore', timeoutMs: 120_000, stdinFile: sliceFile }, dir, 6);
      md.push('');
      md.push(`Syscalls of the renderer as the executor runs it, on the first ${lines.toLocaleString('en-US')} records (\`strace -c -f\`):`);
      md.push('');
      md.push('```text', ...sys, '```');
    }
  }
  return {
    id: 'B2',
    title: 'B2 — stream views (awk renderer throughput and memory)',
    headline,
    markdown: md.join('\n'),
    raw: { big, small, measures },
  };
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

/** Copies the first `count` lines of `from` into `to`; returns how many were copied. */
async function sliceLines(from: string, to: string, count: number): Promise<number> {
  const out = createWriteStream(to);
  let n = 0;
  const rl = createInterface({ input: createReadStream(from), crlfDelay: Infinity });
  for await (const line of rl) {
    out.write(`${line}\n`);
    n += 1;
    if (n >= count) break;
  }
  rl.close();
  await new Promise<void>((resolve) => out.end(resolve));
  return n;
}
