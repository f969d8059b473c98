/**
 * B9 — wrapper start-up against node's own floor (issue 12, "Start-up near the floor").
 *
 * Side by side, round-robin (order rotated every round): bare `node -e 0`; `bin/codex-wrapper`
 * with an instant fake codex (a normal run: validation, the namespace probe, two `.env` snapshots,
 * the executor), the same without the probe (tracking) and without the snapshot; the wrapper on
 * invalid JSON (exit 2) and for `--version` (node plus the bundle); the executor script alone with
 * the same fake, tracking and in a PID namespace (the bash + awk part of the floor); node requiring
 * the built-ins the bundle loads. Wall and tree CPU (user+sys) per arm.
 *
 * BENCH_BASELINE_ROOT=<another built checkout> adds that checkout's wrapper (normal run and
 * invalid JSON) to the same rounds: before/after figures measured side by side.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDeadline, type BenchContext, type BenchSection, type HeadlineRow } from './lib/context.js';
import { fixtureEventLines, writeInstantCodex } from './lib/fake_codex.js';
import { run, type RunResult } from './lib/proc.js';
import { ms, msRange, pairedDiffs, summarize, table } from './lib/stats.js';
import { createHermeticCodexHome, hermeticWrapperEnv } from '../src/devtools/hermetic_codex.js';
import { demoPayload, executorBenchEnv } from './lib/world.js';

const TARGET_ADDED_MS = 30;

interface Arm {
  name: string;
  once(): Promise<RunResult>;
  ok(result: RunResult): boolean;
}

/** The node built-ins the wrapper bundle requires at load (dist/bin/codex_wrapper.cjs). */
const BUNDLE_BUILTINS = ['node:child_process', 'node:fs', 'node:fs/promises', 'node:os', 'node:path', 'node:string_decoder', 'node:url', 'node:util'];

/** The normal-run and invalid-JSON arms of another built checkout (none when `root` is unset). */
function baselineArms(
  root: string | undefined,
  o: { env: Record<string, string>; payload: string; timeoutMs: number; completed: (r: RunResult) => boolean },
): Arm[] {
  if (!root) return [];
  const bin = path.join(path.resolve(root), 'bin', 'codex-wrapper');
  return [
    { name: 'baseline: wrapper + instant fake (normal run)', once: () => run(bin, [], { env: o.env, input: o.payload, stdout: 'pipe', stderr: 'ignore', timeoutMs: o.timeoutMs }), ok: o.completed },
    { name: 'baseline: wrapper, invalid JSON (exit 2)', once: () => run(bin, [], { env: o.env, input: '{', stdout: 'pipe', stderr: 'ignore', timeoutMs: o.timeoutMs }), ok: (r) => r.code === 2 },
  ];
}

export async function benchStartup(ctx: BenchContext): Promise<BenchSection> {
  const dir = path.join(ctx.tmpRoot, 'b9');
  mkdirSync(dir, { recursive: true });
  const home = createHermeticCodexHome({ baseUrl: 'http://127.0.0.1:9', parentDir: dir });
  const headline: HeadlineRow[] = [];
  const md: string[] = [];
  try {
    const wrapper = path.join(ctx.repoRoot, 'bin', 'codex-wrapper');
    const executor = path.join(ctx.repoRoot, 'scripts', 'codex_executor.sh');
    const fake = writeInstantCodex(dir, fixtureEventLines().demo);
    const env = hermeticWrapperEnv(home, fake);
    const payload = demoPayload();
    const timeoutMs = 60_000;
    const completed = (r: RunResult) => r.code === 0 && r.stdout.toString('utf8').startsWith('RESULT: completed');
    const execDir = path.join(home.tmpDir, 'executor');
    const executorEnv = executorBenchEnv(env, execDir);
    mkdirSync(execDir, { recursive: true });
    const quiet = { stdout: 'pipe' as const, stderr: 'ignore' as const, timeoutMs };
    const wrapperArm = (name: string, input: string, extraEnv: Record<string, string>, ok: (r: RunResult) => boolean, args: string[] = []): Arm => ({
      name,
      once: () => run(wrapper, args, { ...quiet, env: { ...env, ...extraEnv }, input }),
      ok,
    });
    const executorArm = (name: string, contain: string): Arm => ({
      name,
      once: () => run('bash', [executor], { ...quiet, env: { ...executorEnv, CODEX_EXECUTOR_CONTAIN: contain }, input: 'prompt' }),
      ok: completed,
    });
    const arms: Arm[] = [
      { name: 'node -e 0', once: () => run(process.execPath, ['-e', '0'], { env, timeoutMs }), ok: (r) => r.code === 0 },
      wrapperArm('wrapper + instant fake (normal run)', payload, {}, completed),
      wrapperArm('wrapper + instant fake, CODEX_CHILD_CONTAINMENT=tracking (no namespace probe)', payload, { CODEX_CHILD_CONTAINMENT: 'tracking' }, completed),
      wrapperArm('wrapper + instant fake, CODEX_DENY_DOTENV=0 (no snapshot)', payload, { CODEX_DENY_DOTENV: '0' }, completed),
      wrapperArm('wrapper, invalid JSON (exit 2)', '{', {}, (r) => r.code === 2),
      wrapperArm('wrapper --version (node + the bundle)', '', {}, (r) => r.code === 0, ['--version']),
      executorArm('executor script alone + instant fake (tracking)', 'tracking'),
      executorArm('executor script alone + instant fake (PID namespace)', 'pidns'),
      {
        name: 'node requiring the built-ins the bundle loads',
        once: () => run(process.execPath, ['-e', BUNDLE_BUILTINS.map((m) => `require(${JSON.stringify(m)})`).join(';')], { env, timeoutMs }),
        ok: (r) => r.code === 0,
      },
      ...baselineArms(process.env.BENCH_BASELINE_ROOT, { env, payload, timeoutMs, completed }),
    ];
    const rounds = ctx.quick ? 10 : 40;
    const loadBefore = os.loadavg();
    ctx.log(`B9: ${arms.length} arms, 2 warm-up + ${rounds} rounds`);
    const samples = new Map(arms.map((a) => [a.name, { wall: [] as number[], cpu: [] as number[], failures: 0 }]));
    for (let r = -2; r < rounds; r += 1) {
      checkDeadline(ctx, `B9 round ${r + 3}`);
      for (let i = 0; i < arms.length; i += 1) {
        const arm = arms[(i + r + 2) % arms.length] as Arm;
        const result = await arm.once();
        if (r < 0) continue;
        const s = samples.get(arm.name)!;
        if (!arm.ok(result)) s.failures += 1;
        else {
          s.wall.push(result.wallMs);
          s.cpu.push(result.childCpuMs);
        }
      }
    }
    const loadAfter = os.loadavg();
    const get = (name: string) => samples.get(name)!;
    const floor = get('node -e 0');
    const normal = get('wrapper + instant fake (normal run)');
    const executorAlone = get('executor script alone + instant fake (PID namespace)').wall.length ? get('executor script alone + instant fake (PID namespace)') : get('executor script alone + instant fake (tracking)');
    const med = (xs: number[]) => summarize(xs).median;
    const addedWall = med(normal.wall) - med(floor.wall);
    const addedCpu = med(normal.cpu) - med(floor.cpu);
    const paired = summarize(pairedDiffs(normal.wall, floor.wall));

    md.push(
      'Method: every arm is one child process started by the benchmark; the arms run round-robin with the order rotated every round ' +
        `(2 warm-up rounds, ${rounds} measured). Wall = spawn() to 'close'; tree CPU = user+sys of the reaped process tree ` +
        '(cutime+cstime of /proc/self/stat around each run, 10 ms ticks, so medians of many runs). The fake codex is the instant sh ' +
        'script of B1b. "PID namespace" = `CODEX_EXECUTOR_CONTAIN=pidns` (what a run as root gets; it fails where the kernel refuses one). ' +
        `Load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, ` +
        `after: ${loadAfter.map((x) => x.toFixed(1)).join(' ')} (${os.cpus().length} cores).` +
        (process.env.BENCH_BASELINE_ROOT ? ` Baseline arms: the build in \`${process.env.BENCH_BASELINE_ROOT}\`, same rounds.` : '') +
        '',
    );
    md.push('');
    md.push(
      table(
        ['arm', 'n', 'wall median ms (min–max)', 'wall − node -e 0 ms', 'tree CPU median ms', 'CPU − node -e 0 ms', 'failures'],
        arms.map((a) => {
          const s = get(a.name);
          return [
            a.name,
            String(s.wall.length),
            msRange(summarize(s.wall)),
            ms(med(s.wall) - med(floor.wall)),
            ms(med(s.cpu)),
            ms(med(s.cpu) - med(floor.cpu)),
            String(s.failures),
          ];
        }),
      ),
    );
    md.push('');
    md.push(
      `- **normal run − \`node -e 0\`: ${ms(addedWall)} ms wall** (per-round differences: median ${msRange(paired)} ms), ${ms(addedCpu)} ms tree CPU. ` +
        `Target ≤ ${TARGET_ADDED_MS} ms. The executor script on its own (bash, awk, tee and the fake, in a PID namespace as a run here) takes ` +
        `${ms(med(executorAlone.wall))} ms wall and ${ms(med(executorAlone.cpu))} ms CPU: it runs after node has started, so it adds to node's own start; ` +
        `what the JavaScript side adds on top of both is ${ms(med(normal.wall) - med(floor.wall) - med(executorAlone.wall))} ms wall.`,
    );
    headline.push({
      bench: 'B9',
      metric: 'bin/codex-wrapper + instant fake codex − bare `node -e 0` (median wall; tree CPU)',
      value: `${ms(addedWall)} ms (${ms(med(normal.wall))} vs ${ms(med(floor.wall))} ms); CPU +${ms(addedCpu)} ms; load ${loadBefore[0]?.toFixed(1)}`,
      target: `≤ ${TARGET_ADDED_MS} ms`,
      status: normal.wall.length && floor.wall.length ? (addedWall <= TARGET_ADDED_MS ? 'met' : 'missed') : 'error',
    });
    return { id: 'B9', title: 'B9 — wrapper start-up against `node -e 0`', headline, markdown: md.join('\n'), raw: Object.fromEntries(samples) };
  } finally {
    home.cleanup();
  }
}
