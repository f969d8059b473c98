/**
 * Running child processes for measurements: wall time with `performance.now()`, CPU time of the
 * reaped process tree from `/proc/self/stat` (cutime + cstime = getrusage(RUSAGE_CHILDREN)), and
 * `/usr/bin/time` for user/sys/max-RSS of one tree. Every child gets its own process group and a
 * timeout that SIGKILLs that group, so a benchmark always stops by itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

let clockTicks: number | undefined;

/** sysconf(_SC_CLK_TCK): the unit of the /proc stat times (100 on Linux). */
export function clkTck(): number {
  if (clockTicks !== undefined) return clockTicks;
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const value = Number.parseInt(out.stdout ?? '', 10);
  clockTicks = Number.isFinite(value) && value > 0 ? value : 100;
  return clockTicks;
}

function statFields(pid: number | 'self'): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU time (user + sys, ms) of every child this process has waited for, descendants included when
 * their own parents waited for them: `cutime + cstime` of /proc/self/stat, i.e. the
 * getrusage(RUSAGE_CHILDREN) total. Resolution: one clock tick (10 ms).
 */
export function childrenCpuMs(): number {
  const f = statFields('self');
  if (f === null) return Number.NaN;
  return ((Number(f[13]) + Number(f[14])) * 1000) / clkTck();
}

/** CPU time (user + sys, ms) a live process has used itself (utime + stime). */
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  if (f === null) return Number.NaN;
  return ((Number(f[11]) + Number(f[12])) * 1000) / clkTck();
}

/** CPU time (user + sys, ms) of this process itself, from process.cpuUsage() (µs resolution). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Options of {@link run}. */
export interface RunOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Written to stdin, which is then closed. Without it (and without stdinFile) stdin is /dev/null. */
  input?: string | Buffer;
  /** Stdin read from this file instead. */
  stdinFile?: string;
  /** Stdout written to this file (truncated) instead of a pipe. */
  stdoutFile?: string;
  stdout?: 'pipe' | 'ignore';
  stderr?: 'pipe' | 'ignore';
  /** SIGKILL the child's process group after this long (default 120 s). */
  timeoutMs?: number;
}

/** What one run produced. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From just before spawn() to the 'close' event (exit and all pipes closed). */
  wallMs: number;
  stdout: Buffer;
  stderr: Buffer;
  /** CPU of the reaped tree (see {@link childrenCpuMs}); only meaningful for sequential runs. */
  childCpuMs: number;
  timedOut: boolean;
}

/** Runs one command in its own process group and measures it. Never rejects for exit codes. */
export function run(cmd: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const inFd = options.stdinFile !== undefined ? openSync(options.stdinFile, 'r') : undefined;
    const outFd = options.stdoutFile !== undefined ? openSync(options.stdoutFile, 'w') : undefined;
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      env: cleanEnv(options.env),
      cwd: options.cwd,
      stdio: [inFd ?? (options.input === undefined ? 'ignore' : 'pipe'), outFd ?? options.stdout ?? 'pipe', options.stderr ?? 'ignore'],
      detached: true,
    });
    if (inFd !== undefined) closeSync(inFd);
    if (outFd !== undefined) closeSync(outFd);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      resolve({ code, signal, wallMs, stdout: Buffer.concat(out), stderr: Buffer.concat(err), childCpuMs: childrenCpuMs() - cpu0, timedOut });
    });
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // the child may exit without reading everything
      child.stdin.end(options.input);
    }
  });
}

/** SIGKILL a process group (ignores errors: it may be gone). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** True when GNU time is installed as /usr/bin/time. */
export const HAVE_GNU_TIME = existsSync('/usr/bin/time');

/** A run measured by /usr/bin/time as well. */
export interface TimedRunResult extends RunResult {
  /** user + sys of the whole waited-for tree, ms (GNU time's %U + %S, 10 ms resolution). */
  userMs: number;
  sysMs: number;
  /**
   * GNU time's %M: ru_maxrss of wait4() on the direct child = the peak RSS of the LARGEST single
   * process of the tree (not a sum), in KiB.
   */
  maxRssKb: number;
}

/** {@link run} under `/usr/bin/time -f '%U %S %M'` (NaN fields when GNU time is missing). */
export async function timedRun(cmd: string, args: readonly string[], options: RunOptions, scratchDir: string): Promise<TimedRunResult> {
  if (!HAVE_GNU_TIME) {
    const plain = await run(cmd, args, options);
    return { ...plain, userMs: Number.NaN, sysMs: Number.NaN, maxRssKb: Number.NaN };
  }
  const outFile = path.join(scratchDir, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const result = await run('/usr/bin/time', ['-f', '%U %S %M', '-o', outFile, '--', cmd, ...args], options);
  let userMs = Number.NaN;
  let sysMs = Number.NaN;
  let maxRssKb = Number.NaN;
  try {
    const lines = readFileSync(outFile, 'utf8').trim().split('\n');
    const last = (lines.at(-1) ?? '').trim().split(/\s+/);
    userMs = Number(last[0]) * 1000;
    sysMs = Number(last[1]) * 1000;
    maxRssKb = Number(last[2]);
  } catch {
    // GNU time could not write its report (the child was killed): leave NaN
  }
  rmSync(outFile, { force: true });
  return { ...result, userMs, sysMs, maxRssKb };
}

/** First line of a command's output (versions); '' on failure. */
export function firstLine(cmd: string, args: readonly string[]): string {
  const out = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  const text = `${out.stdout ?? ''}${out.stdout ? '' : (out.stderr ?? '')}`;
  return text.split('\n')[0]?.trim() ?? '';
}

/** Whether a command is on PATH. */
export function which(cmd: string): string | null {
  const out = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const found = (out.stdout ?? '').trim();
  return out.status === 0 && found !== '' ? found : null;
}

/** Sleeps. */
export const sleep = (msDelay: number) => new Promise<void>((resolve) => setTimeout(resolve, msDelay));
