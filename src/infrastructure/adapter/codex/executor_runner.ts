/**
 * Runs `scripts/codex_executor.sh` — the thin shell layer that runs `codex exec --json`, renders the
 * live view and tees the logs — in its own process group, with the prompt on stdin (then closed),
 * an optional timeout and an optional AbortSignal. Teardown is run_teardown.ts's: codex runs in a
 * PID namespace where the kernel allows it, else its processes are tracked by a run marker; on
 * timeout or abort the tree gets SIGTERM, then SIGKILL after a grace period; after every run the
 * marked leftovers are killed; the executor's watchdog ends the run if this process dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { CappedBytes } from '../../capped_bytes.js';
import { executorScriptPath } from '../../package_paths.js';
import type { Containment } from '../../process/containment.js';
import { executorTeardownEnv, prepareTeardown, sweepRun, terminateRun, type RunTeardown } from '../../process/run_teardown.js';
import { signalExitCode } from '../../process/signals.js';

/** Where the live stream view goes: our stderr, nowhere, or a stream of the caller's. */
export type DisplayTarget = 'inherit' | 'ignore' | Writable;

/** Files the executor writes for one run, all inside the run's private work directory. */
export interface ExecutorPaths {
  /** Byte-exact copy of codex's stdout (the JSONL events). */
  stdoutLog: string;
  /** Byte-exact copy of codex's stderr. */
  stderrLog: string;
  /** Rendered lines from codex (every section but `user`): what failure reports quote. */
  streamLog: string;
  /** codex's `--output-last-message` file. */
  lastMessage: string;
}

/** Options of {@link runExecutor}. */
export interface ExecutorRunOptions {
  prompt: string;
  /** The complete environment of the executor (CODEX_* settings included). */
  env: Record<string, string | undefined>;
  /** Paths for the executor's output files. */
  paths: ExecutorPaths;
  /** Directory for the executor's private temp files (fifos, prompt copy). */
  workDir: string;
  /** Extra codex arguments, inserted before the final `-` (e.g. `-c key=value`). */
  extraArgs?: readonly string[];
  display?: DisplayTarget;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL, for the executor and (through it) codex. Default 3000. */
  killGraceMs?: number;
  /** Pid whose disappearance makes the executor's watchdog kill codex (default: this process). */
  watchPid?: number;
  /** A directory the watchdog removes when the watched process died (the caller's temp dir). */
  orphanDir?: string;
}

/** What came back from the executor. */
export interface ExecutorRunResult {
  /** The executor's exit status: codex's own, or 128+N when killed by signal N. */
  exitCode: number;
  /** The executor's stdout: the last message, verbatim bytes. */
  stdout: Buffer;
  timedOut: boolean;
  /** Aborted through the AbortSignal; `abortReason` is the signal's reason. */
  cancelled: boolean;
  abortReason: unknown;
  durationMs: number;
  /** True when the executor could not be started at all (bash missing, …). */
  spawnFailed: boolean;
  spawnError?: string;
  /** How the run's processes were contained (and, on timeout or abort, ended). */
  containment: Containment;
  /** Marked processes still alive after the executor ended, killed then (tracking only). */
  leftovers: number;
}

function executorEnv(options: ExecutorRunOptions, graceMs: number, teardown: RunTeardown): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, {
    CODEX_EXECUTOR_STDOUT_LOG: options.paths.stdoutLog,
    CODEX_EXECUTOR_STDERR_LOG: options.paths.stderrLog,
    CODEX_EXECUTOR_STREAM_LOG: options.paths.streamLog,
    CODEX_EXECUTOR_LAST_MESSAGE: options.paths.lastMessage,
    CODEX_EXECUTOR_WORK_DIR: options.workDir,
    CODEX_EXECUTOR_KILL_GRACE_S: String(graceMs / 1000),
    CODEX_EXECUTOR_WATCH_PID: String(options.watchPid ?? process.pid),
    CODEX_EXECUTOR_ORPHAN_DIR: options.orphanDir ?? '',
    ...executorTeardownEnv(teardown),
  });
  return env;
}

/** Standard file names of a run's outputs inside `dir`. */
export function executorPathsIn(dir: string): ExecutorPaths {
  return {
    stdoutLog: path.join(dir, 'codex_stdout.jsonl'),
    stderrLog: path.join(dir, 'codex_stderr.txt'),
    streamLog: path.join(dir, 'stream.log'),
    lastMessage: path.join(dir, 'last_message.txt'),
  };
}

/** The executor's stdout is the last message: more than this is a broken run, not a result. */
const MAX_STDOUT_BYTES = 512 * 1024 * 1024;

/** How the executor process ended, as `'close'` reports it (or why it never started). */
interface ExecutorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  spawnError?: string;
}

/**
 * Spawns the executor in its own process group (so the whole tree can be signalled at once) with
 * exactly `env`, writes the prompt to its stdin and closes it, and collects its stdout. A plain
 * spawn: start-up counts on every wrapper run, and nothing more is needed here (B9).
 */
function spawnExecutor(args: string[], env: Record<string, string>, prompt: string, display: DisplayTarget): { child: ChildProcess; exit: Promise<ExecutorExit> } {
  const child = spawn('bash', args, { env, detached: true, stdio: ['pipe', 'pipe', display === 'inherit' ? 'inherit' : 'pipe'] });
  const exit = new Promise<ExecutorExit>((resolve) => {
    const stdout = new CappedBytes(MAX_STDOUT_BYTES);
    let spawnError: string | undefined;
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.once('error', (error) => {
      spawnError = error.message;
      if (child.pid === undefined) resolve({ code: null, signal: null, stdout: Buffer.alloc(0), spawnError });
    });
    child.once('close', (code, signal) => resolve({ code, signal, stdout: stdout.bytes(), ...(spawnError ? { spawnError } : {}) }));
  });
  // The executor saves the whole prompt before it starts codex; a pipe it closed early (it failed
  // to set up) is reported by its exit status, not by EPIPE here.
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(prompt);
  if (typeof display === 'object') child.stderr?.pipe(display, { end: false });
  else if (display === 'ignore') child.stderr?.resume();
  return { child, exit };
}

/**
 * Starts the executor and waits for it. Never throws for a failing codex: the exit status is data.
 */
export async function runExecutor(options: ExecutorRunOptions): Promise<ExecutorRunResult> {
  const graceMs = options.killGraceMs ?? 3000;
  const started = Date.now();
  const teardown = await prepareTeardown(options.env);
  const { child, exit } = spawnExecutor(
    [executorScriptPath(), ...(options.extraArgs ?? [])],
    executorEnv(options, graceMs, teardown),
    options.prompt,
    options.display ?? 'inherit',
  );

  let timedOut = false;
  let cancelled = false;
  let abortReason: unknown;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    if (stopping === undefined && child.pid !== undefined) stopping = terminateRun(child.pid, graceMs + 2000, exit, teardown);
  };
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs)
      : undefined;
  const onAbort = () => {
    cancelled = true;
    abortReason = options.signal?.reason;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const result = await exit;
    await stopping;
    const leftovers = sweepRun(teardown);
    const spawnFailed = result.spawnError !== undefined && result.code === null && result.signal === null;
    const exitCode = result.code ?? (result.signal ? (signalExitCode(result.signal) ?? 128) : 1);
    return {
      exitCode,
      stdout: result.stdout,
      timedOut,
      cancelled,
      abortReason,
      durationMs: Date.now() - started,
      spawnFailed,
      containment: teardown.containment,
      leftovers,
      ...(spawnFailed ? { spawnError: result.spawnError } : {}),
    };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
