/**
 * B1 — overhead per run.
 *
 * (a) `bin/codex-wrapper` vs bare `codex exec` (the executor's flags) on the same scripted turn
 *     (fake model scenario `demo`: one command, then the 4-line answer), same native binary,
 *     same hermetic CODEX_HOME, alternated in ABBA order.
 * (b) The pure wrapper cost: the same comparison with an instant fake codex (a sh script that
 *     prints the demo turn's events and writes the -o file), plus reference arms that split the
 *     difference: `node -e 0`, the wrapper on empty stdin (node start-up + module graph), and the
 *     executor script alone.
 * (c) Peak RSS (GNU time's max RSS of the tree = its largest process; node's own maxRSS through a
 *     `--import` probe), a V8 CPU profile of the wrapper and an strace process timeline.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkMode, validatePayload } from '../src/infrastructure/adapter/codex/payload_validator.js';
import { buildPrompt } from '../src/infrastructure/adapter/codex/prompt_builder.js';
import { checkDeadline, type BenchContext, type BenchSection, type HeadlineRow } from './lib/context.js';
import { readProfiles, summarizeProfile, topLines } from './lib/cpuprofile.js';
import { fixtureEventLines, writeInstantCodex } from './lib/fake_codex.js';
import { HAVE_GNU_TIME, run, timedRun, type RunResult } from './lib/proc.js';
import { kbToMb, ms, msRange, pairedDiffs, pairedRatios, ratio, ratioRange, summarize, table } from './lib/stats.js';
import { bashXtrace, HAVE_STRACE, processTimeline } from './lib/trace.js';
import { demoPayload, startWorld, executorBenchEnv } from './lib/world.js';

const TARGET_RATIO = 1.05;
const TARGET_ADDED_MS = 60;

interface Arm {
  name: string;
  /** Runs once; returns the run (wall, CPU) and whether it produced the expected result. */
  once(): Promise<{ result: RunResult; ok: boolean }>;
}

interface ArmSamples {
  wall: number[];
  cpu: number[];
  failures: number;
}

/** Runs the arms round-robin; each round rotates the order (ABBA for two arms). */
async function alternate(ctx: BenchContext, arms: readonly Arm[], warmup: number, rounds: number, label: string): Promise<Map<string, ArmSamples>> {
  const samples = new Map<string, ArmSamples>(arms.map((a) => [a.name, { wall: [], cpu: [], failures: 0 }]));
  for (let w = 0; w < warmup; w += 1) for (const arm of arms) await arm.once();
  for (let r = 0; r < rounds; r += 1) {
    checkDeadline(ctx, `${label} round ${r + 1}`);
    const order = arms.length === 2 ? (r % 2 === 0 ? arms : [...arms].reverse()) : arms.map((_, i) => arms[(i + r) % arms.length] as Arm);
    for (const arm of order) {
      const { result, ok } = await arm.once();
      const s = samples.get(arm.name) as ArmSamples;
      if (!ok) {
        s.failures += 1;
        continue;
      }
      s.wall.push(result.wallMs);
      s.cpu.push(result.childCpuMs);
    }
  }
  return samples;
}


/** Bare package specifiers in the static import graph of a compiled module (relative imports followed). */
function externalImports(entry: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
      const spec = (m[1] ?? m[2]) as string;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  };
  visit(entry);
  return [...packages].sort();
}

export async function benchOverhead(ctx: BenchContext): Promise<BenchSection> {
  const dir = path.join(ctx.tmpRoot, 'b1');
  mkdirSync(dir, { recursive: true });
  const wrapper = path.join(ctx.repoRoot, 'bin', 'codex-wrapper');
  const executor = path.join(ctx.repoRoot, 'scripts', 'codex_executor.sh');
  const world = await startWorld(dir, { defaultScenario: 'demo' });
  const headline: HeadlineRow[] = [];
  const md: string[] = [];
  const raw: Record<string, unknown> = {};
  try {
    writeFileSync(path.join(world.home.workDir, 'README.md'), '# sample project\n');
    const payload = demoPayload();
    const env = world.wrapperEnv;
    const parsed = validatePayload(Buffer.from(payload));
    if (!parsed.ok) throw new Error(`bench payload does not validate: ${parsed.error.message}`);
    const mode = checkMode(parsed.value);
    if (!mode.ok) throw new Error(`bench payload has no mode: ${mode.error.message}`);
    const prompt = buildPrompt(parsed.value, mode.value, env);
    const lastFile = path.join(dir, 'bare_last_message.txt');
    const bareArgs = ['exec', '--json', '-C', world.home.workDir, '-o', lastFile, '--skip-git-repo-check', '-s', 'danger-full-access', '-'];
    // What the executor sets for codex on top of the caller's environment.
    const bareEnv = { ...world.home.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', RUST_BACKTRACE: '0' };
    const timeout = 60_000;

    // ---------------------------------------------------------------- (a) real codex
    const realWrapper: Arm = {
      name: 'wrapper',
      async once() {
        const result = await run(wrapper, [], { env, input: payload, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
        return { result, ok: result.code === 0 && result.stdout.toString('utf8').startsWith('RESULT: completed') };
      },
    };
    const bare: Arm = {
      name: 'bare codex exec',
      async once() {
        rmSync(lastFile, { force: true });
        const result = await run(world.codexBin, bareArgs, { env: bareEnv, input: prompt, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
        const last = existsSync(lastFile) ? readFileSync(lastFile, 'utf8') : '';
        return { result, ok: result.code === 0 && last.startsWith('RESULT: completed') };
      },
    };
    const realExecDir = path.join(dir, 'executor-real');
    mkdirSync(realExecDir, { recursive: true });
    const realExecutorEnv = {
      ...env,
      TARGET_PROJECT_DIR: world.home.workDir,
      CODEX_EXECUTOR_STDOUT_LOG: path.join(realExecDir, 'codex_stdout.jsonl'),
      CODEX_EXECUTOR_STDERR_LOG: path.join(realExecDir, 'codex_stderr.txt'),
      CODEX_EXECUTOR_STREAM_LOG: path.join(realExecDir, 'stream.log'),
      CODEX_EXECUTOR_LAST_MESSAGE: path.join(realExecDir, 'last_message.txt'),
      CODEX_EXECUTOR_WORK_DIR: realExecDir,
      CODEX_EXECUTOR_KILL_GRACE_S: '3',
      CODEX_EXECUTOR_WATCH_PID: String(process.pid),
    };
    const realExecutor: Arm = {
      name: 'executor script + real codex',
      async once() {
        const result = await run('bash', [executor], { env: realExecutorEnv, input: prompt, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
        return { result, ok: result.code === 0 && result.stdout.toString('utf8').startsWith('RESULT: completed') };
      },
    };
    const pairs = ctx.quick ? 10 : 30;
    ctx.log(`B1a: wrapper vs bare codex (and the executor alone), ${pairs} alternated rounds`);
    const real = await alternate(ctx, [realWrapper, bare, realExecutor], ctx.quick ? 1 : 3, pairs, 'B1a');
    const rw = real.get('wrapper') as ArmSamples;
    const rb = real.get('bare codex exec') as ArmSamples;
    const re = real.get('executor script + real codex') as ArmSamples;
    const ratioMedians = summarize(rw.wall).median / summarize(rb.wall).median;
    const pr = summarize(pairedRatios(rw.wall, rb.wall));
    const addedReal = summarize(pairedDiffs(rw.wall, rb.wall));
    raw.real = { wrapper: rw, bare: rb };

    md.push('### B1a — `bin/codex-wrapper` vs bare `codex exec`, real codex, scripted turn');
    md.push('');
    md.push(
      `Method: the fake model server (in the benchmark process, 127.0.0.1) answers scenario \`demo\` (reasoning + commentary + one ` +
        '`exec_command`, then the 4-line answer: two model requests). Both arms use the same native codex binary and the same ' +
        'hermetic CODEX_HOME (config.toml from `createHermeticCodexHome`, model catalog on). Wrapper arm: `bin/codex-wrapper` ' +
        'with the demo teammate payload on stdin, `TARGET_PROJECT_DIR` = the work dir, `CODEX_SANDBOX=danger-full-access`, default ' +
        'live view (`all`) to /dev/null, result read from its stdout. Bare arm: `codex exec --json -C <dir> -o <file> ' +
        '--skip-git-repo-check -s danger-full-access -` with the byte-identical prompt the wrapper builds (`buildPrompt`) on stdin, ' +
        'then stdin closed; stdout (JSONL) read by the benchmark, stderr to /dev/null. A third arm runs `bash scripts/codex_executor.sh` alone ' +
        '(the environment the adapter gives it) to split the difference. ' +
        `${ctx.quick ? 1 : 3} warm-up runs per arm, then ${pairs} rounds, the arm order rotated every round. Wall = spawn() to 'close' (exit + pipes closed). ` +
        'CPU = user+sys of the reaped process tree (cutime+cstime of /proc/self/stat around each run, 10 ms ticks).',
    );
    md.push('');
    md.push(
      table(
        ['arm', 'n', 'wall median ms (min–max)', 'wall p25–p75 ms', 'tree CPU median ms', 'failures'],
        [
          ['bin/codex-wrapper', String(rw.wall.length), msRange(summarize(rw.wall)), `${ms(summarize(rw.wall).p25)}–${ms(summarize(rw.wall).p75)}`, ms(summarize(rw.cpu).median), String(rw.failures)],
          ['bare codex exec', String(rb.wall.length), msRange(summarize(rb.wall)), `${ms(summarize(rb.wall).p25)}–${ms(summarize(rb.wall).p75)}`, ms(summarize(rb.cpu).median), String(rb.failures)],
          ['(split) bash scripts/codex_executor.sh + real codex', String(re.wall.length), msRange(summarize(re.wall)), `${ms(summarize(re.wall).p25)}–${ms(summarize(re.wall).p75)}`, ms(summarize(re.cpu).median), String(re.failures)],
        ],
      ),
    );
    md.push('');
    md.push(
      `- **wrapper / bare, ratio of medians: ${ratio(ratioMedians)}** (target ≤ ${TARGET_RATIO}); per-pair ratios: median ${ratioRange(pr)}.`,
    );
    md.push(`- added wall per run (per-pair differences): median ${msRange(addedReal)} ms; added tree CPU: ${ms(summarize(rw.cpu).median - summarize(rb.cpu).median)} ms (difference of medians).`);
    md.push(
      `- split of the added wall (differences of medians): executor script ${ms(summarize(re.wall).median - summarize(rb.wall).median)} ms, ` +
        `node side (start-up, modules, adapter) ${ms(summarize(rw.wall).median - summarize(re.wall).median)} ms.`,
    );
    md.push(
      `- The wrapper adds a fixed cost per run, so the ratio depends on the turn: with ${ms(summarize(rw.wall).median - summarize(rb.wall).median)} ms added, ` +
        `wrapper/bare ≤ ${TARGET_RATIO} holds for turns where bare codex takes ≥ ${((summarize(rw.wall).median - summarize(rb.wall).median) / (TARGET_RATIO - 1) / 1000).toFixed(1)} s ` +
        '(this scripted turn: two instant model responses).',
    );
    headline.push({
      bench: 'B1',
      metric: 'wrapper / bare codex exec, median wall (real codex, scripted turn)',
      value: `${ratio(ratioMedians)} (${ms(summarize(rw.wall).median)} vs ${ms(summarize(rb.wall).median)} ms)`,
      target: `≤ ${TARGET_RATIO}`,
      status: rw.wall.length && rb.wall.length ? (ratioMedians <= TARGET_RATIO ? 'met' : 'missed') : 'error',
    });

    // ---------------------------------------------------------------- (b) instant fake codex
    checkDeadline(ctx, 'B1b');
    const fake = writeInstantCodex(dir, fixtureEventLines().demo);
    const fakeEnv = { ...env, CODEX_BIN: fake };
    const fakeLast = path.join(dir, 'fake_last_message.txt');
    const fakeArgs = ['exec', '--json', '-C', world.home.workDir, '--output-last-message', fakeLast, '--skip-git-repo-check', '-s', 'danger-full-access', '-'];
    const execDir = path.join(dir, 'executor');
    mkdirSync(execDir, { recursive: true });
    const executorEnv = executorBenchEnv(fakeEnv, execDir);
    const fakeArms: Arm[] = [
      {
        name: 'wrapper + instant fake',
        async once() {
          const result = await run(wrapper, [], { env: fakeEnv, input: payload, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
          return { result, ok: result.code === 0 && result.stdout.toString('utf8').startsWith('RESULT: completed') };
        },
      },
      {
        name: 'instant fake alone',
        async once() {
          rmSync(fakeLast, { force: true });
          const result = await run(fake, fakeArgs, { env: bareEnv, input: prompt, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
          return { result, ok: result.code === 0 && existsSync(fakeLast) };
        },
      },
      {
        name: 'executor script + instant fake',
        async once() {
          const result = await run('bash', [executor], { env: executorEnv, input: prompt, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
          return { result, ok: result.code === 0 && result.stdout.toString('utf8').startsWith('RESULT: completed') };
        },
      },
      {
        name: 'node -e 0',
        async once() {
          const result = await run(process.execPath, ['-e', '0'], { env: fakeEnv, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
          return { result, ok: result.code === 0 };
        },
      },
      {
        name: 'wrapper, empty stdin (exit 2)',
        async once() {
          const result = await run(wrapper, [], { env: fakeEnv, input: '', stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
          return { result, ok: result.code === 2 };
        },
      },
    ];
    const rounds = ctx.quick ? 12 : 40;
    ctx.log(`B1b: instant fake codex, ${rounds} rounds of ${fakeArms.length} arms`);
    const fk = await alternate(ctx, fakeArms, 2, rounds, 'B1b');
    const get = (name: string) => fk.get(name) as ArmSamples;
    const W = get('wrapper + instant fake');
    const D = get('instant fake alone');
    const E = get('executor script + instant fake');
    const N0 = get('node -e 0');
    const N1 = get('wrapper, empty stdin (exit 2)');
    const med = (s: ArmSamples) => summarize(s.wall).median;
    const added = summarize(pairedDiffs(W.wall, D.wall));
    const addedMedians = med(W) - med(D);
    raw.instant = Object.fromEntries(fk);

    md.push('');
    md.push('### B1b — pure wrapper cost (instant fake codex)');
    md.push('');
    md.push(
      'Method: `CODEX_BIN` = a POSIX sh script (written at run time by `bench/lib/fake_codex.ts`) that reads the prompt to EOF, ' +
        "prints the 9 JSONL events of the fixture `events.jsonl` and writes the `--output-last-message` file. The same five arms " +
        `run round-robin (order rotated every round), 2 warm-up rounds, ${rounds} measured rounds. "executor script" = ` +
        '`bash scripts/codex_executor.sh` with the environment the adapter gives it (CODEX_EXECUTOR_* files, live view `all` to /dev/null).',
    );
    md.push('');
    md.push(
      table(
        ['arm', 'n', 'wall median ms (min–max)', 'tree CPU median ms', 'failures'],
        fakeArms.map((a) => {
          const s = get(a.name);
          return [a.name, String(s.wall.length), msRange(summarize(s.wall)), ms(summarize(s.cpu).median), String(s.failures)];
        }),
      ),
    );
    md.push('');
    md.push(`- **added wall time of the wrapper vs running the fake directly: ${ms(addedMedians)} ms** (difference of medians; per-round differences: median ${msRange(added)} ms). Target ≤ ${TARGET_ADDED_MS} ms.`);
    md.push('- Where the added time goes (differences of medians; each arm measured separately, so the parts are estimates):');
    md.push(`  - node start-up (\`node -e 0\`): ${ms(med(N0))} ms`);
    md.push(`  - loading the CLI code + set-up (wrapper on empty stdin − \`node -e 0\`): ${ms(med(N1) - med(N0))} ms`);
    md.push(`  - executor script around codex (executor + fake − fake alone): ${ms(med(E) - med(D))} ms`);
    md.push(`  - adapter work in the wrapper process (validate, prompt, 2 × .env snapshot, spawn, verify, parse) = wrapper − executor − wrapper-on-empty-stdin: ${ms(med(W) - med(E) - med(N1))} ms`);
    headline.push({
      bench: 'B1',
      metric: 'added wall per run vs instant fake codex (pure wrapper cost)',
      value: `${ms(addedMedians)} ms (${ms(med(W))} vs ${ms(med(D))} ms)`,
      target: `≤ ${TARGET_ADDED_MS} ms`,
      status: W.wall.length && D.wall.length ? (addedMedians <= TARGET_ADDED_MS ? 'met' : 'missed') : 'error',
    });

    // ---------------------------------------------------------------- (c) memory
    checkDeadline(ctx, 'B1c');
    ctx.log('B1c: peak RSS');
    const probe = path.join(dir, 'rss_probe.mjs');
    writeFileSync(
      probe,
      "import { appendFileSync } from 'node:fs';\nprocess.on('exit', () => { if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.pid} ${process.resourceUsage().maxRSS}\\n`); });\n",
    );
    const rssFile = path.join(dir, 'node_rss.txt');
    const memRuns = ctx.quick ? 3 : 5;
    const tree = { wrapperFake: [] as number[], fakeAlone: [] as number[], wrapperReal: [] as number[], bareReal: [] as number[], nodeSelf: [] as number[] };
    for (let i = 0; i < memRuns; i += 1) {
      const a = await timedRun(wrapper, [], { env: fakeEnv, input: payload, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout }, dir);
      if (a.code === 0) tree.wrapperFake.push(a.maxRssKb);
      const b = await timedRun(fake, fakeArgs, { env: bareEnv, input: prompt, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout }, dir);
      if (b.code === 0) tree.fakeAlone.push(b.maxRssKb);
      const c = await timedRun(wrapper, [], { env, input: payload, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout }, dir);
      if (c.code === 0) tree.wrapperReal.push(c.maxRssKb);
      rmSync(lastFile, { force: true });
      const d = await timedRun(world.codexBin, bareArgs, { env: bareEnv, input: prompt, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout }, dir);
      if (d.code === 0) tree.bareReal.push(d.maxRssKb);
      rmSync(rssFile, { force: true });
      const e = await run(wrapper, [], { env: { ...fakeEnv, NODE_OPTIONS: `--import=${probe}`, BENCH_RSS_FILE: rssFile }, input: payload, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout });
      if (e.code === 0 && existsSync(rssFile)) {
        const kb = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[1])));
        tree.nodeSelf.push(kb);
      }
    }
    raw.rssKb = tree;
    md.push('');
    md.push('### B1c — peak RSS');
    md.push('');
    md.push(
      `Method: ${memRuns} runs per row. "largest process" = GNU \`/usr/bin/time -f %M\` around the command: ru_maxrss from wait4() on it, which ` +
        'covers every waited-for descendant but reports the peak of the LARGEST single process, not a sum. "node process" = ' +
        '`process.resourceUsage().maxRSS` of the wrapper\'s node process, written at exit by a `NODE_OPTIONS=--import` probe ' +
        `(${HAVE_GNU_TIME ? 'GNU time present' : 'GNU time missing: those cells are n/a'}).`,
    );
    md.push('');
    const memCell = (xs: number[]) => (xs.length ? `${kbToMb(summarize(xs).median)} (${kbToMb(summarize(xs).min)}–${kbToMb(summarize(xs).max)})` : 'n/a');
    md.push(
      table(
        ['what', 'peak RSS median (min–max)'],
        [
          ['wrapper + instant fake: largest process of the tree (= the node process)', memCell(tree.wrapperFake)],
          ['wrapper + instant fake: node process itself (resourceUsage probe)', memCell(tree.nodeSelf)],
          ['instant fake alone: largest process', memCell(tree.fakeAlone)],
          ['wrapper + real codex: largest process of the tree', memCell(tree.wrapperReal)],
          ['bare real codex: largest process', memCell(tree.bareReal)],
        ],
      ),
    );
    headline.push({ bench: 'B1', metric: 'peak RSS of the wrapper node process (instant fake)', value: memCell(tree.nodeSelf), target: 'report', status: 'info' });

    // ---------------------------------------------------------------- profile
    const missed = headline.some((h) => h.status === 'missed');
    if (missed || process.env.BENCH_PROFILE === '1') {
      checkDeadline(ctx, 'B1 profile');
      ctx.log('B1: profiling the wrapper (cpu-prof, strace)');
      md.push('');
      md.push('### B1 profile — where the wrapper\'s time goes');
      md.push('');
      const profDir = path.join(dir, 'cpuprof');
      mkdirSync(profDir, { recursive: true });
      const profRuns = 5;
      for (let i = 0; i < profRuns; i += 1) {
        // --cpu-prof is not allowed in NODE_OPTIONS: run the bin script with node directly (what its shebang does).
        await run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval', '100', wrapper], {
          env: fakeEnv,
          input: payload,
          stdout: 'pipe',
          stderr: 'ignore',
          timeoutMs: timeout,
        });
      }
      const profiles = readProfiles(profDir);
      const merged = profiles.map((p) => summarizeProfile(p, ctx.repoRoot));
      const byModule = new Map<string, number>();
      const byFn = new Map<string, number>();
      let total = 0;
      for (const s of merged) {
        total += s.totalMs;
        for (const e of s.byModule) byModule.set(e.name, (byModule.get(e.name) ?? 0) + e.ms);
        for (const e of s.byFunction) byFn.set(e.name, (byFn.get(e.name) ?? 0) + e.ms);
      }
      const n = Math.max(1, merged.length);
      const rank = (m: Map<string, number>) =>
        [...m.entries()].map(([name, v]) => ({ name, ms: v / n, share: total > 0 ? v / total : 0 })).sort((a, b) => b.ms - a.ms);
      md.push(
        `V8 CPU profile of the wrapper's node process (\`node --cpu-prof --cpu-prof-interval 100 bin/codex-wrapper\`, instant fake codex, ` +
          `${merged.length} runs averaged; profiled span ${ms(total / n)} ms per run, of which idle = waiting for the executor). Self time per module:`,
      );
      md.push('');
      md.push(...topLines(rank(byModule), 12).map((l) => `- ${l}`));
      md.push('');
      md.push('Top functions by self time:');
      md.push('');
      md.push(...topLines(rank(byFn), 12).map((l) => `- ${l}`));
      raw.profileModules = rank(byModule).slice(0, 30);

      // Module load cost: a fresh node per import, round-robin with a bare `node -e 0`.
      const cli = path.join(ctx.repoRoot, 'dist', 'src', 'cli', 'codex_wrapper_cli.js');
      const pkgs = externalImports(cli);
      // What bin/codex-wrapper actually imports (a bundle, or the compiled module graph).
      const binTarget = /import\(\s*['"]([^'"]+)['"]\s*\)/.exec(readFileSync(wrapper, 'utf8'))?.[1];
      const loaded = binTarget ? path.resolve(path.dirname(wrapper), binTarget) : cli;
      const modules: { name: string; spec: string }[] = [
        ...pkgs.map((p) => ({ name: `import('${p}') (unbundled package)`, spec: p })),
        { name: `the compiled CLI module graph (${path.relative(ctx.repoRoot, cli)}, unbundled)`, spec: pathToFileURL(cli).href },
      ];
      if (loaded !== cli && existsSync(loaded)) {
        modules.push({ name: `what bin/codex-wrapper loads: ${path.relative(ctx.repoRoot, loaded)} (${(statSync(loaded).size / 1024).toFixed(0)} KiB)`, spec: pathToFileURL(loaded).href });
      }
      const importArms: Arm[] = [
        { name: 'node -e 0', once: async () => ({ result: await run(process.execPath, ['--input-type=module', '-e', '0'], { env: fakeEnv, cwd: ctx.repoRoot, timeoutMs: timeout }), ok: true }) },
        ...modules.map((m) => ({
          name: m.name,
          once: async () => {
            const result = await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(m.spec)})`], { env: fakeEnv, cwd: ctx.repoRoot, stdout: 'pipe', stderr: 'pipe', timeoutMs: timeout });
            return { result, ok: result.code === 0 };
          },
        })),
      ];
      const imp = await alternate(ctx, importArms, 1, ctx.quick ? 5 : 9, 'B1 imports');
      const base = summarize((imp.get('node -e 0') as ArmSamples).wall).median;
      md.push('');
      md.push(
        `Start-up cost of the wrapper's code (a fresh \`node --input-type=module -e "await import(X)"\` per sample, round-robin, median minus \`node -e 0\` = ${ms(base)} ms). ` +
          'Packages found by following the static imports of dist/src/cli/codex_wrapper_cli.js; when the bin loads a bundle, the package rows ' +
          'show what each dependency costs on its own (a bundle saves the module resolution, not the evaluation):',
      );
      md.push('');
      md.push(
        table(
          ['import', 'added wall ms (median)', 'added CPU ms (median)'],
          importArms.slice(1).map((a) => {
            const s = imp.get(a.name) as ArmSamples;
            return [a.name, s.wall.length ? ms(summarize(s.wall).median - base) : 'failed', s.cpu.length ? ms(summarize(s.cpu).median - summarize((imp.get('node -e 0') as ArmSamples).cpu).median) : 'n/a'];
          }),
        ),
      );
      raw.imports = Object.fromEntries(imp);
      if (HAVE_STRACE) {
        const timeline = await processTimeline(wrapper, [], { env: fakeEnv, input: payload, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout }, dir);
        md.push('');
        md.push(
          'Process timeline of one wrapper run with the instant fake (`strace -f -ttt --seccomp-bpf -e trace=execve,exit_group`; ' +
            'tracing slows forks, read the order and the gaps):',
        );
        md.push('');
        const shown = timeline.filter((e) => !e.what.startsWith('exited'));
        if (shown.length) md.push(table(['t ms', 'pid', 'event'], shown.map((e) => [e.t.toFixed(1), String(e.pid), e.what])));
        else md.push('_strace recorded no events in this run (ptrace refused, or the trace was empty); the timeline is left out._');
      }
      const xt = await bashXtrace(executor, { env: executorEnv, input: prompt, stdout: 'pipe', stderr: 'ignore', timeoutMs: timeout }, dir, 5);
      md.push('');
      md.push(
        `Where the executor script's ${ms(xt.totalMs)} ms go (instant fake, 5 runs averaged; bash xtrace with \`\${EPOCHREALTIME}\` on fd 7, ` +
          'time from each command of the main shell to its next one, so a `wait` or a `read -t` nap includes what ran meanwhile):',
      );
      md.push('');
      md.push(table(['ms per run', 'command (main shell)'], xt.steps.slice(0, 12).map((st) => [ms(st.ms), `\`${st.command.replace(/`/g, "'")}\``])));
    }
  } finally {
    await world.close();
  }
  return { id: 'B1', title: 'B1 — overhead per run', headline, markdown: md.join('\n'), raw };
}
