/**
 * The one entry point an orchestrator imports. A teammate payload goes through
 * validate → deny → prompt → snapshot → execute → verify → parse; a ready prompt (the MCP server's
 * generic tool) starts at snapshot. Expected failures come back as {@link CodexChildError} values
 * with the exit code the drop-in CLI uses; nothing here throws for them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { childError, type CodexChildError } from '../../../domain/errors.js';
import { err, ok, type Failure, type Result, type Success } from '../../../domain/result.js';
import { chooseContainment, describeTeardown, type Containment } from '../../process/containment.js';
import { isHandledSignal, signalExitCode } from '../../process/signals.js';
import { createEmptyFile, UnsafePathError, writeFileNoFollow } from '../../fs/safe_fs.js';
import { codexNotFoundError, resolveCodexBin } from './codex_binary.js';
import { followLines } from './event_follower.js';
import type { ThreadEvent } from './codex_event_types.js';
import { EventAccumulator, summarizeEventFile, type CodexCommand, type CodexEventSummary, type CodexFileChange, type CodexUsage } from './codex_events.js';
import { checkDotenvReferences, isDenyPayloadCheckEnabled, isDotenvSnapshotEnabled } from './deny_checker.js';
import { diffDotenvSnapshots, dotenvModifiedError, fullHashMaxBytesFrom, isEmptyDiff, takeDotenvSnapshot, type DotenvSnapshot, type SnapshotOutcome } from './env_snapshot.js';
import { executorPathsIn, runExecutor, type DisplayTarget, type ExecutorPaths } from './executor_runner.js';
import { codexFailureError, emptyOutputError, readTailLines } from './failure_report.js';
import { checkMode, validatePayload, type PromptMode } from './payload_validator.js';
import { buildPrompt } from './prompt_builder.js';
import { envValue, type EnvRecord } from '../../env.js';
import { prepareIsolatedRun, type IsolatedRun } from './isolation/isolated_run.js';
import { fallbackResultText, parseResultBlock, verifyChangedFiles, type ParsedResult } from './result_parser.js';
import { decideCompat, viewEnvOverrides, type CompatDecision, type CompatMode } from './compat_mode.js';
import { phaseFallbackResult } from './phase_fallback.js';
import { startRunClock, stoppedOutsideCodexError, type RunClock } from './run_clock.js';
import { secretExclusionArgs } from './secret_env.js';
import { executorSettingsEnv, validateSettingsOptions, type CodexSettingsOptions } from './executor_settings.js';
import { isDirectory } from '../../fs/file_reads.js';

/**
 * Options shared by {@link runTeammatePayload} and {@link runCodexPrompt}. The typed codex settings
 * (`model`, `sandbox`, `profile`, `reasoningEffort`, `view`, `skipGitRepoCheck`,
 * {@link CodexSettingsOptions}) win over their `CODEX_*` variables in `env`.
 */
export interface CodexRunOptions extends CodexSettingsOptions {
  /** Environment read for settings and given to codex (default `process.env`). Empty = unset. */
  env?: EnvRecord;
  /** Directory that relative paths resolve against (default `process.cwd()`). */
  cwd?: string;
  /** TARGET_PROJECT_DIR when the env has none (default: `cwd`). */
  defaultProjectDir?: string;
  /** Where the live stream view goes (default: this process's stderr). */
  display?: DisplayTarget;
  /**
   * Stop the run after this many milliseconds, counted from the first `.env*` snapshot: a run
   * stopped while codex runs has its whole process tree killed; one stopped during a snapshot
   * ends there.
   */
  timeoutMs?: number;
  /** Abort the run (codex's whole process tree is killed; a snapshot in progress stops). */
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
  /** Called with each codex JSON event, typed and in order, while the run is going (live progress); what it throws is ignored. */
  onEvent?: (event: ThreadEvent) => void;
  /**
   * Run isolated in this directory: its own `.codex_home` and `.tmp`, credentials shared by
   * symlink (README "Isolated runs"). Unset: codex uses the caller's CODEX_HOME.
   */
  runDir?: string;
  /** Receives diagnostic and warning lines (the wrapper prints them on stderr); default: none. */
  log?: (line: string) => void;
  /**
   * Which contract a teammate payload follows ({@link runTeammatePayload} only): `v661`, or
   * `agent-dock-head` (agent-dock a26eb88: phase-aware prompts, 5-line results in decision phases,
   * the phase-driven fallback, `CODEX_STREAM_EXEC_KEEP_LINES`). Default from `env`: HEAD when
   * `RESULT_PHASE` is non-empty or `CODEX_WRAPPER_COMPAT=agent-dock-head`, else V661.
   */
  compat?: CompatMode;
  /**
   * The result phase of the call (`implement`, `review`, `spec_check`, `test`; default
   * `env.RESULT_PHASE`). In HEAD mode it drives the fallback and the strict parse; setting it
   * selects HEAD mode unless `compat` says otherwise.
   */
  resultPhase?: string;
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

/**
 * Outcome of a run: the one {@link Result} shape (never thrown); a failure also carries the facts
 * gathered before it (null when codex never ran).
 */
export type CodexRunOutcome = Success<CodexRunSuccess> | (Failure & { readonly facts: CodexRunFacts | null });

const failure = (error: CodexChildError, facts: CodexRunFacts | null = null): CodexRunOutcome => ({ ok: false, error, facts });

interface ResolvedSettings {
  env: EnvRecord;
  cwd: string;
  /** TARGET_PROJECT_DIR as given (error messages quote it). */
  projectDir: string;
  /** The same, resolved once against `cwd`: what the snapshot, codex and verification use. */
  projectPath: string;
  codexBin: string;
  /** What the typed settings change in the executor's env (executor_settings.ts). */
  settingsEnv: Record<string, string | undefined>;
}

async function resolveSettings(options: CodexRunOptions): Promise<Result<ResolvedSettings>> {
  const invalidOption = validateSettingsOptions(options);
  if (invalidOption) return err(invalidOption);
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const codexBin = envValue(env, 'CODEX_BIN', 'codex');
  const resolved = await resolveCodexBin(codexBin, env.PATH, cwd);
  if (resolved === null) return err(codexNotFoundError(codexBin));
  const projectDir = envValue(env, 'TARGET_PROJECT_DIR', options.defaultProjectDir ?? cwd);
  return ok({ env, cwd, projectDir, projectPath: path.resolve(cwd, projectDir), codexBin, settingsEnv: executorSettingsEnv(options, env) });
}

/**
 * Runs a teammate payload exactly as `codex_wrapper.sh` did (contract §12.2 order).
 *
 * @param stdin the raw payload bytes (what the old script read on stdin).
 * @returns the outcome; `error.exitCode` is the CLI's exit code for a failure.
 */
export async function runTeammatePayload(stdin: Uint8Array | string, options: CodexRunOptions = {}): Promise<CodexRunOutcome> {
  const resolved = await resolveSettings(options);
  if (!resolved.ok) return failure(resolved.error);
  const settings = resolved.value;
  const bytes = typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin;
  const validated = validatePayload(bytes);
  if (!validated.ok) return failure(validated.error);
  const payload = validated.value;
  if (isDenyPayloadCheckEnabled(settings.env)) {
    const denied = checkDotenvReferences(payload);
    if (!denied.ok) return failure(denied.error);
  }
  const checked = checkMode(payload);
  if (!checked.ok) return failure(checked.error);
  const mode = checked.value;
  const compat = decideCompat(settings.env, options);
  if (compat.warning !== null) options.log?.(compat.warning);
  return runWithSettings(buildPrompt(payload, mode, settings.env, compat.mode), settings, options, mode, compat);
}

/** Ready prompts have no payload contract: V661's fallback and view. */
const PLAIN_PROMPT: CompatDecision = { mode: 'v661', resultPhase: undefined, warning: null };

/**
 * Runs a ready prompt through the same executor, snapshot and verification (no payload rules).
 * Used by the MCP server's generic tool and by orchestrators that build their own prompts.
 */
export async function runCodexPrompt(prompt: string, options: CodexRunOptions = {}): Promise<CodexRunOutcome> {
  const resolved = await resolveSettings(options);
  if (!resolved.ok) return failure(resolved.error);
  return runWithSettings(prompt, resolved.value, options, null, PLAIN_PROMPT);
}


function debugLines(settings: ResolvedSettings, prompt: string, options: CodexRunOptions): Promise<void> {
  const promptLog = envValue(settings.env, 'CODEX_PROMPT_LOG_PATH', '/tmp/codex_wrapper_last_prompt.txt');
  options.log?.(`[codex_wrapper] prompt_chars=${[...prompt].length} prompt_log=${promptLog}`);
  // Write errors ignored, as V661; a symlink under the name is one of them (never written through).
  return writeFileNoFollow(promptLog, prompt).catch(() => undefined);
}

async function runWithSettings(
  prompt: string,
  settings: ResolvedSettings,
  options: CodexRunOptions,
  mode: PromptMode | null,
  compat: CompatDecision,
): Promise<CodexRunOutcome> {
  // Probed now, so that the probe runs while the snapshot is taken; the executor's teardown then
  // finds it done (containment.ts caches it). Not earlier: bad input starts no process.
  void chooseContainment(settings.env);
  const projectDir = settings.projectPath;
  if (!(await isDirectory(projectDir))) {
    return failure(
      childError({
        reason: 'project_dir_not_found',
        message: `target project dir not found: ${settings.projectDir}`,
        details: { projectDir },
      }),
    );
  }
  const debug = settings.env.CODEX_WRAPPER_DEBUG === '1';
  if (debug) await debugLines(settings, prompt, options);

  let isolation: IsolatedRun | null = null;
  if (options.runDir !== undefined) {
    const prepared = await prepareIsolatedRun(path.resolve(settings.cwd, options.runDir), { env: { ...settings.env, ...settings.settingsEnv } });
    if (!prepared.ok) return failure(prepared.error);
    isolation = prepared.value;
    for (const notice of isolation.notices) options.log?.(notice);
  }

  const ownLogDir = options.logDir === undefined;
  // Private files live in the run's own TMPDIR when isolated, so nothing lands in the system one;
  // otherwise in the TMPDIR of the env the run was given (not necessarily this process's).
  const tempRoot = isolation?.tmpDir ?? path.resolve(settings.cwd, envValue(settings.env, 'TMPDIR', '') || os.tmpdir());
  let workDir: string;
  try {
    workDir = ownLogDir ? await mkdtemp(path.join(tempRoot, 'codex-child-')) : path.resolve(settings.cwd, options.logDir as string);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return failure(childError({ reason: 'run_dir_failed', message: `cannot create a temp dir in ${tempRoot}: ${code}`, details: { tempRoot } }));
  }
  try {
    return await executeAndVerify({ prompt, settings, options, mode, compat, workDir, projectDir, isolation });
  } finally {
    // Retries: a process of the run that is still ending may create a file there meanwhile.
    if (ownLogDir) await rm(workDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/** What one run has settled before its clock starts (runWithSettings prepares it). */
interface RunContext {
  prompt: string;
  settings: ResolvedSettings;
  options: CodexRunOptions;
  /** The payload's mode; null for a ready prompt. */
  mode: PromptMode | null;
  compat: CompatDecision;
  /** The run's private directory (or the caller's log dir). */
  workDir: string;
  /** TARGET_PROJECT_DIR, resolved. */
  projectDir: string;
  isolation: IsolatedRun | null;
}

async function executeAndVerify(ctx: RunContext): Promise<CodexRunOutcome> {
  const clock = startRunClock(ctx.options.timeoutMs, ctx.options.signal);
  try {
    return await executeOnClock(ctx, clock);
  } finally {
    clock.dispose();
  }
}

/** Takes one snapshot on the run's clock; says once per run which files were only fingerprinted. */
async function snapshotOnClock(projectDir: string, settings: ResolvedSettings, clock: RunClock, announced: Set<string>, options: CodexRunOptions): Promise<SnapshotOutcome> {
  const fullHashMaxBytes = fullHashMaxBytesFrom(settings.env);
  const taken = await takeDotenvSnapshot(projectDir, { signal: clock.signal, fullHashMaxBytes });
  const fresh = taken.ok ? taken.value.bounded.filter((rel) => !announced.has(rel)) : [];
  if (fresh.length > 0) {
    fresh.forEach((rel) => announced.add(rel));
    const shown = fresh.length > 5 ? `${fresh.slice(0, 5).join(', ')} and ${fresh.length - 5} more` : fresh.join(', ');
    options.log?.(
      `codex-child: warning: .env* larger than ${fullHashMaxBytes} bytes fingerprinted by size, mtime, ctime, inode and first/last MiB, not hashed whole: ${shown}`,
    );
  }
  return taken;
}

async function executeOnClock(ctx: RunContext, clock: RunClock): Promise<CodexRunOutcome> {
  const { prompt, settings, options, mode, compat, workDir, projectDir, isolation } = ctx;
  const snapshotOn = isDotenvSnapshotEnabled(settings.env);
  const announced = new Set<string>();
  let before: DotenvSnapshot | null = null;
  if (snapshotOn) {
    const taken = await snapshotOnClock(projectDir, settings, clock, announced, options);
    if (!taken.ok) return failure(taken.error.reason === 'cancelled' ? stoppedOutsideCodexError(clock, options.timeoutMs, 'before_codex') : taken.error);
    before = taken.value.snapshot;
  }

  const paths: ExecutorPaths = { ...executorPathsIn(workDir), ...options.logFiles };
  // Kept log files may hold an earlier run's output: empty them before anyone reads them. They
  // are created here, not by the executor (whose `: >file` would follow a planted symlink): a
  // symlink or non-regular file under a log name is refused before codex starts.
  try {
    await Promise.all(Object.values(paths).map((file) => createEmptyFile(file)));
  } catch (error) {
    if (!(error instanceof UnsafePathError)) throw error;
    return failure(childError({ reason: 'run_dir_failed', message: `cannot prepare the run's log files: ${error.message}`, details: { path: error.path } }));
  }
  const follower = options.onEvent ? followEvents(paths.stdoutLog, options.onEvent) : null;
  const refresh = isolation ? await isolation.coordinateRefresh() : null;
  if (clock.signal.aborted) {
    await refresh?.done();
    await follower?.stop();
    return failure(stoppedOutsideCodexError(clock, options.timeoutMs, 'before_codex'));
  }
  const startedAt = Date.now();
  const remainingMs = clock.remainingMs();
  const run = await runExecutor({
    prompt,
    // The resolved path: codex's -C would otherwise resolve a relative one against our own cwd.
    env: { ...settings.env, ...settings.settingsEnv, ...viewEnvOverrides(compat, settings.env), TARGET_PROJECT_DIR: projectDir, ...isolation?.envOverrides, ...options.envOverrides },
    paths,
    workDir,
    // Secrets are hidden from the model's commands in every mode (secret_env.ts).
    extraArgs: [...secretExclusionArgs(), ...(options.extraCodexArgs ?? [])],
    display: options.display ?? 'inherit',
    ...(remainingMs !== undefined ? { timeoutMs: remainingMs } : {}),
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
    const spawnError = run.spawnError ?? null;
    return failure(childError({ reason: 'executor_not_started', message: `codex executor could not start: ${spawnError ?? 'unknown error'}`, details: { spawnError } }), facts);
  }
  if (run.timedOut) {
    return failure(childError({ reason: 'timed_out', message: `codex timed out after ${options.timeoutMs} ms; ${describeTeardown(run.containment)}`, details: { executorExitCode: run.exitCode, containment: run.containment } }), facts);
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
    const rebuilt = await rebuildResult(events, paths.streamLog, compat);
    if (!rebuilt.ok) return failure(await emptyOutputError(paths.streamLog, { threadId: events.threadId }, rebuilt.error), facts);
    outputBytes = Buffer.from(rebuilt.value, 'utf8');
    fromFallback = true;
  }

  if (before !== null) {
    const after = await snapshotOnClock(projectDir, settings, clock, announced, options);
    if (!after.ok) return failure(after.error.reason === 'cancelled' ? stoppedOutsideCodexError(clock, options.timeoutMs, 'after_codex') : after.error, facts);
    const diff = diffDotenvSnapshots(before, after.value.snapshot);
    if (!isEmptyDiff(diff)) return failure(dotenvModifiedError(diff), facts);
  }

  const output = outputBytes.toString('utf8');
  const result = parseResultBlock(output, compat.resultPhase !== undefined ? { resultPhase: compat.resultPhase } : {});
  const warnings =
    result.block && mode !== 'plan' ? await verifyChangedFiles(result.block.changedFiles, events.fileChanges, projectDir, startedAt) : [];
  return ok({ ...facts, output, outputBytes, fromFallback, result, warnings, codexWarnings: events.warnings });
}

/**
 * The fallback when codex wrote no last message, from the agent messages (the stream log only when
 * no JSON event was parsed): V661's key-by-key rebuild, or in HEAD mode the phase-driven block.
 */
async function rebuildResult(
  events: CodexEventSummary,
  streamLog: string,
  compat: CompatDecision,
): Promise<Result<string, string[]>> {
  const sources = events.jsonEvents > 0 ? events.agentMessages : await readTailLines(streamLog, 100_000);
  if (compat.mode === 'v661') {
    const text = fallbackResultText(sources);
    return text === null ? err([]) : ok(text);
  }
  // HEAD reads a block within one message; the stream log is one text.
  const found = phaseFallbackResult(events.jsonEvents > 0 ? sources : [sources.join('\n')], compat.resultPhase);
  return found.ok ? found : err([found.error]);
}

/** Follows the event log live; after `stop()` its `summary` covers the whole log. */
function followEvents(file: string, onEvent: (event: ThreadEvent) => void) {
  const accumulator = new EventAccumulator();
  const lines = followLines(file, (line) => {
    const event = accumulator.push(line);
    try {
      if (event) onEvent(event);
    } catch {
      // A throwing callback must not cost the follower the rest of its read, nor the run its facts.
    }
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
  return childError({ reason: 'cancelled', message: `codex run cancelled; ${describeTeardown(containment)}`, details: { executorExitCode, containment } });
}
