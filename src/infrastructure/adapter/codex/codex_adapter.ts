/**
 * The one entry point an orchestrator imports. A teammate payload goes through
 * validate → deny → prompt → snapshot → execute → verify → parse; a ready prompt (the MCP server's
 * generic tool) starts at snapshot. Expected failures come back as {@link CodexChildError} values
 * with the exit code the drop-in CLI uses; nothing here throws for them.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { childError, CodexChildError } from '../../../domain/errors.js';
import { describeTeardown, type Containment } from '../../process/containment.js';
import { isHandledSignal, signalExitCode } from '../../process/signals.js';
import { codexNotFoundError, resolveCodexBin } from './codex_binary.js';
import { followLines } from './event_follower.js';
import { EventAccumulator, summarizeEventFile, type CodexCommand, type CodexEventSummary, type CodexFileChange, type CodexUsage } from './codex_events.js';
import { checkDotenvReferences, isDenyPayloadCheckEnabled, isDotenvSnapshotEnabled } from './deny_checker.js';
import { diffDotenvSnapshots, dotenvModifiedError, isEmptyDiff, takeDotenvSnapshot, type DotenvSnapshot } from './env_snapshot.js';
import { executorPathsIn, runExecutor, type DisplayTarget, type ExecutorPaths } from './executor_runner.js';
import { codexFailureError, emptyOutputError, readTailLines } from './failure_report.js';
import { checkMode, validatePayload, type PromptMode } from './payload_validator.js';
import { buildPrompt } from './prompt_builder.js';
import { envValue, type EnvRecord } from './python/py_format.js';
import { prepareIsolatedRun, type IsolatedRun } from './isolation/isolated_run.js';
import { fallbackResultText, parseResultBlock, verifyChangedFiles, type ParsedResult } from './result_parser.js';

/** Options shared by {@link runTeammatePayload} and {@link runCodexPrompt}. */
export interface CodexRunOptions {
  /** Environment read for settings and given to codex (default `process.env`). Empty = unset. */
  env?: EnvRecord;
  /** Directory that relative paths resolve against (default `process.cwd()`). */
  cwd?: string;
  /** TARGET_PROJECT_DIR when the env has none (default: `cwd`). */
  defaultProjectDir?: string;
  /** Where the live stream view goes (default: this process's stderr). */
  display?: DisplayTarget;
  /** Kill the whole codex process tree after this many milliseconds. */
  timeoutMs?: number;
  /** Abort the run; the whole codex process tree is killed. */
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL (default 3000 ms). */
  killGraceMs?: number;
  /** Extra codex arguments (e.g. `-c key=value`), placed before the final `-`. */
  extraCodexArgs?: readonly string[];
  /** Variables set for codex on top of `env` (isolation: CODEX_HOME, TMPDIR, …). */
  envOverrides?: Readonly<Record<string, string>>;
  /** Keep the run's logs in this directory instead of a temp dir that is removed afterwards. */
  logDir?: string;
  /** Explicit paths for some of the run's files (kept after the run), e.g. the MCP server's names. */
  logFiles?: Partial<ExecutorPaths>;
  /** Called with each codex JSON event while the run is going (live progress). */
  onEvent?: (event: Record<string, unknown>) => void;
  /**
   * Run isolated in this directory: its own `.codex_home` and `.tmp`, credentials shared by
   * symlink (README "Isolated runs"). Unset: codex uses the caller's CODEX_HOME.
   */
  runDir?: string;
  /** Receives diagnostic lines (debug mode); default: none. */
  log?: (line: string) => void;
}

/** Facts about a run that are known whether it succeeded or not. */
export interface CodexRunFacts {
  threadId: string | null;
  usage: CodexUsage | null;
  commands: CodexCommand[];
  fileChanges: CodexFileChange[];
  /** Message of `turn.failed`, when the turn failed. */
  turnFailed: string | null;
  durationMs: number;
  /** Log files, present only when `logDir` was given. */
  logs: ExecutorPaths | null;
}

/** A successful run. */
export interface CodexRunSuccess extends CodexRunFacts {
  /** What the drop-in prints on stdout: the last message verbatim, or the fallback block. */
  output: string;
  /** The same, byte-exact. */
  outputBytes: Buffer;
  /** True when codex wrote no final message and the block was rebuilt from agent messages. */
  fromFallback: boolean;
  /** Strict parse of the result block (plan-mode output is usually not a block). */
  result: ParsedResult;
  /** One per CHANGED_FILES entry that no event and no file modification backs. */
  warnings: string[];
  /** Non-fatal warnings codex itself reported. */
  codexWarnings: string[];
}

/** Outcome of a run: a success value or a typed error (never thrown). */
export type CodexRunOutcome =
  | { ok: true; value: CodexRunSuccess }
  | { ok: false; error: CodexChildError; facts: CodexRunFacts | null };

const failure = (error: CodexChildError, facts: CodexRunFacts | null = null): CodexRunOutcome => ({ ok: false, error, facts });

interface ResolvedSettings {
  env: EnvRecord;
  cwd: string;
  projectDir: string;
  codexBin: string;
}

async function resolveSettings(options: CodexRunOptions): Promise<ResolvedSettings | CodexChildError> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const codexBin = envValue(env, 'CODEX_BIN', 'codex');
  const resolved = await resolveCodexBin(codexBin, env.PATH, cwd);
  if (resolved === null) return codexNotFoundError(codexBin);
  const projectDir = envValue(env, 'TARGET_PROJECT_DIR', options.defaultProjectDir ?? cwd);
  return { env, cwd, projectDir, codexBin };
}

/**
 * Runs a teammate payload exactly as `codex_wrapper.sh` did (contract §12.2 order).
 *
 * @param stdin the raw payload bytes (what the old script read on stdin).
 * @returns the outcome; `error.exitCode` is the CLI's exit code for a failure.
 */
export async function runTeammatePayload(stdin: Uint8Array | string, options: CodexRunOptions = {}): Promise<CodexRunOutcome> {
  const settings = await resolveSettings(options);
  if (settings instanceof CodexChildError) return failure(settings);
  const bytes = typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin;
  const payload = validatePayload(bytes);
  if (payload instanceof CodexChildError) return failure(payload);
  if (isDenyPayloadCheckEnabled(settings.env)) {
    const denied = checkDotenvReferences(payload);
    if (denied) return failure(denied);
  }
  const mode = checkMode(payload);
  if (mode instanceof CodexChildError) return failure(mode);
  return runWithSettings(buildPrompt(payload, mode, settings.env), settings, options, mode);
}

/**
 * Runs a ready prompt through the same executor, snapshot and verification (no payload rules).
 * Used by the MCP server's generic tool and by orchestrators that build their own prompts.
 */
export async function runCodexPrompt(prompt: string, options: CodexRunOptions = {}): Promise<CodexRunOutcome> {
  const settings = await resolveSettings(options);
  if (settings instanceof CodexChildError) return failure(settings);
  return runWithSettings(prompt, settings, options, null);
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}

function debugLines(settings: ResolvedSettings, prompt: string, options: CodexRunOptions): Promise<void> {
  const promptLog = envValue(settings.env, 'CODEX_PROMPT_LOG_PATH', '/tmp/codex_wrapper_last_prompt.txt');
  options.log?.(`[codex_wrapper] prompt_chars=${[...prompt].length} prompt_log=${promptLog}`);
  return writeFile(promptLog, prompt, 'utf8').catch(() => undefined); // write errors ignored, as V661
}

async function runWithSettings(
  prompt: string,
  settings: ResolvedSettings,
  options: CodexRunOptions,
  mode: PromptMode | null,
): Promise<CodexRunOutcome> {
  const projectDir = path.resolve(settings.cwd, settings.projectDir);
  if (!(await isDirectory(projectDir))) {
    return failure(
      childError({
        reason: 'invalid_option',
        exitCode: 1,
        message: `target project dir not found: ${settings.projectDir}`,
        details: { projectDir },
      }),
    );
  }
  const debug = settings.env.CODEX_WRAPPER_DEBUG === '1';
  if (debug) await debugLines(settings, prompt, options);

  let isolation: IsolatedRun | null = null;
  if (options.runDir !== undefined) {
    const prepared = await prepareIsolatedRun(path.resolve(settings.cwd, options.runDir), { env: settings.env });
    if (prepared instanceof CodexChildError) return failure(prepared);
    isolation = prepared;
    for (const notice of prepared.notices) options.log?.(notice);
  }

  const ownLogDir = options.logDir === undefined;
  // Private files live in the run's own TMPDIR when isolated, so nothing lands in the system one.
  const tempRoot = isolation?.tmpDir ?? os.tmpdir();
  const workDir = ownLogDir ? await mkdtemp(path.join(tempRoot, 'codex-child-')) : path.resolve(options.logDir as string);
  try {
    return await executeAndVerify(prompt, settings, options, mode, workDir, projectDir, isolation);
  } finally {
    if (ownLogDir) await rm(workDir, { recursive: true, force: true });
  }
}

async function executeAndVerify(
  prompt: string,
  settings: ResolvedSettings,
  options: CodexRunOptions,
  mode: PromptMode | null,
  workDir: string,
  projectDir: string,
  isolation: IsolatedRun | null,
): Promise<CodexRunOutcome> {
  const snapshotOn = isDotenvSnapshotEnabled(settings.env);
  let before: DotenvSnapshot | null = null;
  if (snapshotOn) {
    const taken = await takeDotenvSnapshot(projectDir);
    if (!taken.ok) return failure(taken.error);
    before = taken.snapshot;
  }

  const paths: ExecutorPaths = { ...executorPathsIn(workDir), ...options.logFiles };
  // Kept log files may hold an earlier run's output: empty them before anyone reads them.
  await Promise.all(Object.values(paths).map((file) => writeFile(file, '')));
  const follower = options.onEvent ? followEvents(paths.stdoutLog, options.onEvent) : null;
  const refresh = isolation ? await isolation.coordinateRefresh() : null;
  const startedAt = Date.now();
  const run = await runExecutor({
    prompt,
    env: { ...settings.env, TARGET_PROJECT_DIR: settings.projectDir, ...isolation?.envOverrides, ...options.envOverrides },
    paths,
    workDir,
    extraArgs: [...(isolation?.extraArgs ?? []), ...(options.extraCodexArgs ?? [])],
    display: options.display ?? 'inherit',
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
    // A temp dir of ours: the watchdog removes it if this process is SIGKILLed.
    ...(options.logDir === undefined ? { orphanDir: workDir } : {}),
  }).finally(async () => {
    await refresh?.done();
    await follower?.stop();
  });
  // A follower has already read every line once; otherwise read the log now.
  const events = follower ? follower.summary : await summarizeEventFile(paths.stdoutLog);
  const facts = runFacts(events, run.durationMs, options.logDir !== undefined || options.logFiles !== undefined ? paths : null);
  const lastMessage = run.stdout;

  if (run.spawnFailed) {
    return failure(childError({ reason: 'codex_not_found', exitCode: 127, message: `codex executor could not start: ${run.spawnError ?? 'unknown error'}` }), facts);
  }
  if (run.timedOut) {
    return failure(childError({ reason: 'timed_out', exitCode: 124, message: `codex timed out after ${options.timeoutMs} ms; ${describeTeardown(run.containment)}`, details: { executorExitCode: run.exitCode, containment: run.containment } }), facts);
  }
  if (run.cancelled) return failure(cancelledError(run.abortReason, run.exitCode, run.containment), facts);
  if (run.exitCode !== 0) {
    // An isolated run keeps its error copy in its own directory, never in the system temp dir.
    const defaultErrorLog = isolation ? path.join(isolation.runDir, 'codex_error.log') : '/tmp/codex_wrapper_last_error.log';
    const errorLogPath = envValue(settings.env, 'CODEX_ERROR_LOG_PATH', defaultErrorLog);
    const error = await codexFailureError({
      exitCode: run.exitCode,
      streamLogPath: paths.streamLog,
      lastMessage: lastMessage.toString('utf8'),
      errorLogPath,
      details: { turnFailed: events.turnFailed, threadId: events.threadId },
    });
    return failure(error, facts);
  }

  let outputBytes = lastMessage;
  let fromFallback = false;
  if (outputBytes.length === 0) {
    const sources = events.jsonEvents > 0 ? events.agentMessages : await readTailLines(paths.streamLog, 100_000);
    const rebuilt = fallbackResultText(sources);
    if (rebuilt === null) return failure(await emptyOutputError(paths.streamLog, { threadId: events.threadId }), facts);
    outputBytes = Buffer.from(rebuilt, 'utf8');
    fromFallback = true;
  }

  if (before !== null) {
    const after = await takeDotenvSnapshot(projectDir);
    if (!after.ok) return failure(after.error, facts);
    const diff = diffDotenvSnapshots(before, after.snapshot);
    if (!isEmptyDiff(diff)) return failure(dotenvModifiedError(diff), facts);
  }

  const output = outputBytes.toString('utf8');
  const result = parseResultBlock(output);
  const warnings =
    result.block && mode !== 'plan' ? await verifyChangedFiles(result.block.changedFiles, events.fileChanges, projectDir, startedAt) : [];
  return {
    ok: true,
    value: { ...facts, output, outputBytes, fromFallback, result, warnings, codexWarnings: events.warnings },
  };
}

/** Follows the event log live; after `stop()` its `summary` covers the whole log. */
function followEvents(file: string, onEvent: (event: Record<string, unknown>) => void) {
  const accumulator = new EventAccumulator();
  const lines = followLines(file, (line) => {
    const event = accumulator.push(line);
    if (event) onEvent(event);
  });
  return { summary: accumulator.summary, stop: () => lines.stop() };
}

function runFacts(events: CodexEventSummary, durationMs: number, logs: ExecutorPaths | null): CodexRunFacts {
  return {
    threadId: events.threadId,
    usage: events.usage,
    commands: events.commands,
    fileChanges: events.fileChanges,
    turnFailed: events.turnFailed,
    durationMs,
    logs,
  };
}

/** An abort whose reason names a signal (`{ signal: 'SIGTERM' }`) is the wrapper being interrupted. */
function cancelledError(reason: unknown, executorExitCode: number, containment: Containment): CodexChildError {
  const signal = (reason as { signal?: string } | undefined)?.signal;
  if (isHandledSignal(signal)) {
    return childError({
      reason: 'interrupted',
      exitCode: signalExitCode(signal) as number,
      message: `codex_wrapper interrupted by ${signal}; ${describeTeardown(containment)}`,
      details: { signal, executorExitCode, containment },
    });
  }
  return childError({ reason: 'cancelled', exitCode: 130, message: `codex run cancelled; ${describeTeardown(containment)}`, details: { executorExitCode, containment } });
}
