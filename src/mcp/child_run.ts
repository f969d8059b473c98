/**
 * One codex child run as both tools need it: wait for a slot (FIFO), run the prompt through the
 * shared adapter (same executor and isolation as `bin/codex-wrapper`), and turn the adapter's
 * outcome into plain facts — exit code, timeout, cancellation, thread id, usage, failure text.
 * Each tool then applies its own success rule on top.
 */
import path from 'node:path';
import type { CodexChildError } from '../domain/errors.js';
import { describeTeardown, runCodexPrompt, type CodexRunOptions, type CodexRunOutcome, type CodexUsage } from '../infrastructure/adapter/codex/index.js';
import type { SandboxMode, ServerConfig } from './config.js';
import { QueueAbortedError, type FifoSemaphore } from './fifo_semaphore.js';
import { eventProgressMessage, type ProgressReporter } from './progress.js';

import { SHUTDOWN_REASON } from './shutdown_reason.js';

export { SHUTDOWN_REASON };

/** The codex logs a child keeps in its directory (names fixed by the art-loop contract). */
export function codexLogFiles(dir: string): { stdoutLog: string; stderrLog: string; lastMessage: string } {
  return {
    stdoutLog: path.join(dir, 'codex_stdout.txt'),
    stderrLog: path.join(dir, 'codex_stderr.txt'),
    lastMessage: path.join(dir, 'codex_last_message.md'),
  };
}

/** What to run. */
export interface ChildRunRequest {
  prompt: string;
  /** codex's working root (`-C`), absolute. */
  workdir: string;
  /** Isolation directory: `<runDir>/.codex_home`, `<runDir>/.tmp`. */
  runDir: string;
  /** Kept log files (absolute). */
  logs: { stdoutLog: string; stderrLog: string; lastMessage: string };
  timeoutMs: number;
  sandbox: SandboxMode;
  model?: string | undefined;
  extraCodexArgs: readonly string[];
  /** The client's cancellation combined with the server's shutdown. */
  signal: AbortSignal;
  progress: ProgressReporter;
  /**
   * Called once a slot is free, right before codex starts: null to go on, or one line saying why
   * the run must not start (e.g. its directory was swapped for a symlink while it was queued).
   */
  beforeStart?: () => Promise<string | null>;
}

/** Shared services. */
export interface ChildRunDeps {
  config: ServerConfig;
  semaphore: FifoSemaphore;
  log: (line: string) => void;
}

/** Facts about one run, whatever happened. */
export interface ChildRunReport {
  /** False when the call was cancelled while still queued: codex never started. */
  started: boolean;
  /** Time spent waiting for a slot. */
  queueMs: number;
  /** Wall time from getting the slot to the end of the run (0 when never started). */
  elapsedMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** True when the cancellation came from the server shutting down. */
  shutdown: boolean;
  /** codex's exit code; null when it was killed or never ran. */
  exitCode: number | null;
  /** codex ran and exited 0 (the turn completed). */
  codexExitedZero: boolean;
  /**
   * A failure that decides the outcome on its own (auth missing, codex failed, `.env` files
   * modified, …), one line; null when codex exited 0 and nothing else went wrong.
   */
  fatal: string | null;
  /** A non-fatal remark: codex exited 0 but wrote no final message. */
  note: string | null;
  /** `turn.failed` message, when the turn failed. */
  turnFailed: string | null;
  /** What the teardown of a timed-out or cancelled run actually did (containment-specific). */
  teardown?: string;
  threadId: string | null;
  usage: CodexUsage | null;
  /** Reason code of the adapter's error, if any. */
  reason: CodexChildError['reason'] | null;
}

/** Reasons for which codex ran to a normal exit 0. */
const EXITED_ZERO = new Set<string>(['empty_output', 'dotenv_modified', 'snapshot_failed']);

function isShutdown(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason === SHUTDOWN_REASON;
}

/** Maps an adapter outcome to the report fields. Exported for tests. */
export function describeOutcome(outcome: CodexRunOutcome): Pick<ChildRunReport, 'timedOut' | 'cancelled' | 'exitCode' | 'codexExitedZero' | 'fatal' | 'note' | 'turnFailed' | 'threadId' | 'usage' | 'reason' | 'teardown'> {
  if (outcome.ok) {
    const v = outcome.value;
    return { timedOut: false, cancelled: false, exitCode: 0, codexExitedZero: true, fatal: null, note: null, turnFailed: v.turnFailed, threadId: v.threadId, usage: v.usage, reason: null };
  }
  const { error, facts } = outcome;
  const base = { turnFailed: facts?.turnFailed ?? null, threadId: facts?.threadId ?? null, usage: facts?.usage ?? null, reason: error.reason };
  const containment = error.reason === 'timed_out' || error.reason === 'cancelled' || error.reason === 'interrupted' ? error.details.containment : undefined;
  const teardown = containment !== undefined ? { teardown: describeTeardown(containment) } : {};
  switch (error.reason) {
    case 'timed_out':
      return { ...base, ...teardown, timedOut: true, cancelled: false, exitCode: null, codexExitedZero: false, fatal: error.message, note: null };
    case 'cancelled':
    case 'interrupted':
      return { ...base, ...teardown, timedOut: false, cancelled: true, exitCode: null, codexExitedZero: false, fatal: error.message, note: null };
    case 'codex_failed': {
      const code = error.details.codexExitCode;
      return { ...base, timedOut: false, cancelled: false, exitCode: typeof code === 'number' ? code : error.exitCode, codexExitedZero: false, fatal: error.message, note: null };
    }
    case 'empty_output':
      return { ...base, timedOut: false, cancelled: false, exitCode: 0, codexExitedZero: true, fatal: null, note: 'codex wrote no final message' };
    default:
      // dotenv_modified / snapshot_failed after an exit 0 are still failures; every other
      // reason (auth_missing, auth_link_failed, run_dir_failed, codex_not_found, …) means codex
      // never ran.
      return {
        ...base,
        timedOut: false,
        cancelled: false,
        exitCode: EXITED_ZERO.has(error.reason) && facts !== null ? 0 : null,
        codexExitedZero: EXITED_ZERO.has(error.reason) && facts !== null,
        fatal: error.message,
        note: null,
      };
  }
}

/**
 * The adapter options of one run: the typed codex settings (sandbox, model, git check) plus the
 * environment for what only has an env setting (the project dir, no live view, and per-run paths
 * for the wrapper's single-file copies, which parallel runs must not share).
 */
export function childRunSettings(
  config: ServerConfig,
  request: Pick<ChildRunRequest, 'workdir' | 'sandbox' | 'model' | 'runDir'>,
): Pick<CodexRunOptions, 'env' | 'sandbox' | 'model' | 'skipGitRepoCheck'> {
  return {
    env: {
      ...config.env,
      TARGET_PROJECT_DIR: request.workdir,
      CODEX_STREAM_LOGS: '0', // no live view: stdout is the protocol, stderr is for our log lines
      CODEX_ERROR_LOG_PATH: path.join(request.runDir, 'codex_error.log'),
      CODEX_PROMPT_LOG_PATH: path.join(request.runDir, '.tmp', 'codex_prompt.txt'),
    },
    sandbox: request.sandbox,
    skipGitRepoCheck: true,
    ...(request.model !== undefined ? { model: request.model } : {}),
  };
}

/**
 * Waits for a slot, runs codex, releases the slot. Never throws for expected failures.
 */
export async function runChild(request: ChildRunRequest, deps: ChildRunDeps): Promise<ChildRunReport> {
  const queuedAt = Date.now();
  let release: (() => void) | undefined;
  try {
    release = await deps.semaphore.acquire({
      signal: request.signal,
      onPosition: (position) => void request.progress(`queued (position ${position})`),
    });
  } catch (error) {
    if (!(error instanceof QueueAbortedError)) throw error;
    return {
      started: false,
      queueMs: Date.now() - queuedAt,
      elapsedMs: 0,
      timedOut: false,
      cancelled: true,
      shutdown: isShutdown(request.signal),
      exitCode: null,
      codexExitedZero: false,
      fatal: 'cancelled while queued; codex never started',
      note: null,
      turnFailed: null,
      threadId: null,
      usage: null,
      reason: 'cancelled',
    };
  }
  const queueMs = Date.now() - queuedAt;
  const startedAt = Date.now();
  try {
    const refused = request.beforeStart ? await request.beforeStart() : null;
    if (refused !== null) return notStarted(queueMs, refused);
    void request.progress('started');
    const outcome = await runCodexPrompt(request.prompt, {
      ...childRunSettings(deps.config, request),
      cwd: deps.config.repoRoot,
      runDir: request.runDir,
      logFiles: request.logs,
      display: 'ignore',
      timeoutMs: request.timeoutMs,
      signal: request.signal,
      killGraceMs: deps.config.killGraceMs,
      extraCodexArgs: request.extraCodexArgs,
      onEvent: (event) => {
        const message = eventProgressMessage(event);
        if (message !== null) void request.progress(message);
      },
      log: deps.log,
    });
    const described = describeOutcome(outcome);
    return { started: true, queueMs, elapsedMs: Date.now() - startedAt, shutdown: described.cancelled && isShutdown(request.signal), ...described };
  } finally {
    release();
  }
}

/** The report of a run refused after its queue wait: codex never started. */
function notStarted(queueMs: number, fatal: string): ChildRunReport {
  return {
    started: false,
    queueMs,
    elapsedMs: 0,
    timedOut: false,
    cancelled: false,
    shutdown: false,
    exitCode: null,
    codexExitedZero: false,
    fatal,
    note: null,
    turnFailed: null,
    threadId: null,
    usage: null,
    reason: 'run_dir_failed',
  };
}

/**
 * The cause of a failed run for `error_summary`, most specific first: timeout, cancellation,
 * the `turn.failed` message, the adapter's failure text. '' when the run itself went fine.
 */
export function failureSummary(report: ChildRunReport, timeoutS: number): string {
  const teardown = report.teardown ?? "codex's process group was killed";
  if (report.timedOut) return `timed out after ${timeoutS} s; ${teardown}`;
  if (report.cancelled) {
    if (report.shutdown) return 'cancelled: the MCP server is shutting down; codex was stopped';
    return report.started ? `cancelled by the client; ${teardown}` : 'cancelled by the client while queued; codex never started';
  }
  if (report.turnFailed !== null) return `codex turn failed: ${report.turnFailed}`;
  return report.fatal ?? '';
}

/**
 * The `reason` of a failed result: the adapter's CodexChildError reason when there is one, else
 * `missing_inputs` / `internal_error` for a problem found before codex ran (`preRunProblem`), else
 * `artifact_failed` (codex ran fine but the artist's artifact.json says failed or is unusable).
 */
export function failureReason(report: ChildRunReport | null, preRunProblem: string | null): string {
  if (report?.reason) return report.reason;
  if (preRunProblem !== null) return preRunProblem.startsWith('missing input') ? 'missing_inputs' : 'internal_error';
  if (report === null) return 'internal_error';
  return report.codexExitedZero ? 'artifact_failed' : 'codex_failed';
}
