/**
 * `codex.run_task`: any prompt, run by a codex child with `-C <workspace_dir>`, with the same
 * isolation, queue, limits and result shape as the artist tool, minus the artifact rules.
 *
 * Run directory: `<workspace_dir>/.codex_child/<run_id>/` holds the child's `.codex_home/`,
 * `.tmp/`, `codex_stdout.txt` (JSONL events), `codex_stderr.txt` and `codex_last_message.md`.
 * It lies inside the workspace so that a `workspace-write` child can use its own TMPDIR, and
 * `.codex_child/.gitignore` (`*`) keeps it out of git. Success = codex exited 0, not timed out or
 * cancelled.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pinDir, type PinnedDir } from '../infrastructure/fs/pinned_dir.js';
import { createEmptyFile, ensureOwnDir, readFileNoFollow, UnsafePathError } from '../infrastructure/fs/safe_fs.js';
import { failureReason, failureSummary, runChild, type ChildRunDeps, codexLogFiles } from './child_run.js';
import { checkWorkspaceDir } from './path_policy.js';
import { progressReporter } from './progress.js';
import type { ToolExtra } from './run_artist.js';
import { selfDisableArgs } from './self_registration.js';
import { lastCodePoints } from './text_tail.js';
import { capHead, logTailSummary, oneLine, refusal, structuredResult } from './tool_result.js';
import { checkRunTaskArgs, type RunTaskArgs, type RunTaskResult } from './tool_schemas.js';

/** Folder (inside the workspace) that holds the run directories. */
export const TASK_RUNS_FOLDER = '.codex_child';
/** Longest `final_message` returned (code points); the full text stays in codex_last_message.md. */
export const FINAL_MESSAGE_MAX = 4000;

/** Services of the task tool. */
export interface TaskToolDeps extends ChildRunDeps {
  shutdown: AbortSignal;
}

/** A fresh run id: `task_YYYYMMDD_HHMMSS_<6 hex>` (UTC). */
export function newTaskRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `task_${stamp}_${randomBytes(3).toString('hex')}`;
}

/** Handles one call. Refusals create nothing. */
export async function runTaskTool(rawArgs: unknown, extra: ToolExtra, deps: TaskToolDeps): Promise<CallToolResult> {
  const args = checkRunTaskArgs(rawArgs);
  if (!args.ok) return refusal(args.error);
  const { config } = deps;
  const checked = await checkWorkspaceDir(args.value.workspaceDir, config.childRoot, { base: config.repoRoot, home: config.env.HOME ?? undefined });
  if (!checked.ok) return refusal(checked.error);

  const workspace = checked.value;
  let pin: PinnedDir;
  try {
    pin = await pinDir(workspace);
  } catch (error) {
    return refusal(`workspace_dir changed while being checked: ${workspace} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return await runInWorkspace(args.value, extra, deps, pin);
  } finally {
    await pin.close();
  }
}

/**
 * Creates `.codex_child/<run_id>/` and its logs through the pinned workspace, refusing a planted
 * `.codex_child` symlink (or any symlink under a name the run creates).
 * @returns null, or one line saying why not.
 */
async function createRunDir(pin: PinnedDir, runId: string): Promise<string | null> {
  const folder = pin.inside(TASK_RUNS_FOLDER);
  const own = pin.inside(path.join(TASK_RUNS_FOLDER, runId));
  try {
    await ensureOwnDir(folder);
    // O_EXCL: an existing .gitignore (or a link under that name) is left alone.
    await writeFile(path.join(folder, '.gitignore'), '*\n', { flag: 'wx' }).catch(() => undefined);
    if (!(await ensureOwnDir(own))) return `refusing a run directory the run did not create: ${path.join(pin.real, TASK_RUNS_FOLDER, runId)}`;
    for (const file of Object.values(codexLogFiles(own))) await createEmptyFile(file);
    return null;
  } catch (error) {
    const text = error instanceof UnsafePathError ? error.message : (error as NodeJS.ErrnoException).code ?? String(error);
    return text.split(pin.inside('')).join(pin.real);
  }
}

async function runInWorkspace(args: RunTaskArgs, extra: ToolExtra, deps: TaskToolDeps, pin: PinnedDir): Promise<CallToolResult> {
  const { config } = deps;
  const workspace = pin.real;
  const runId = newTaskRunId();
  const runDir = path.join(workspace, TASK_RUNS_FOLDER, runId);
  const logs = codexLogFiles(runDir);
  const problem = await createRunDir(pin, runId);
  if (problem !== null) return refusal(`cannot create the run directory ${runDir}: ${problem}`);

  const progress = progressReporter(extra, deps.shutdown);
  const self = await selfDisableArgs(path.join(runDir, '.codex_home'), config.env);
  const report = await runChild(
    {
      prompt: args.prompt,
      workdir: workspace,
      runDir,
      logs,
      timeoutMs: args.timeoutS * 1000,
      sandbox: args.sandbox ?? config.sandbox,
      model: args.model,
      extraCodexArgs: self.args,
      signal: AbortSignal.any([extra.signal, deps.shutdown]),
      progress,
      beforeStart: () => pin.verify(),
    },
    deps,
  );

  const ownLogs = codexLogFiles(pin.inside(path.join(TASK_RUNS_FOLDER, runId)));
  const success = report.codexExitedZero && report.fatal === null && !report.timedOut && !report.cancelled;
  let summary = '';
  if (!success) {
    summary = failureSummary(report, args.timeoutS);
    if (summary === '') summary = await logTailSummary(ownLogs.stderrLog, ownLogs.stdoutLog);
    if (summary === '') summary = 'codex child failed';
  }
  // Read through the pinned workspace, never through a link the model put under the name.
  const message = (await readFileNoFollow(ownLogs.lastMessage).catch(() => null))?.toString('utf8') ?? '';
  const finalMessage = lastCodePoints(message, FINAL_MESSAGE_MAX);
  const result: RunTaskResult = {
    status: success ? 'success' : 'failed',
    workspace_dir: workspace,
    run_dir: runDir,
    codex_stdout_path: logs.stdoutLog,
    codex_stderr_path: logs.stderrLog,
    codex_last_message_path: logs.lastMessage,
    elapsed_ms: report.elapsedMs,
    server_queue_ms: report.queueMs,
    timed_out: report.timedOut,
    cancelled: report.cancelled,
    exit_code: report.exitCode,
    error_summary: capHead(oneLine(summary)),
    reason: success ? null : failureReason(report, null),
    ...(report.usage ? { usage: report.usage } : {}),
    ...(report.threadId ? { thread_id: report.threadId } : {}),
    final_message: finalMessage,
    final_message_truncated: finalMessage.length !== message.length,
  };
  await progress.final(`finished: ${result.status}`);
  deps.log(`run_task ${runDir}: ${result.status} queue=${result.server_queue_ms}ms elapsed=${result.elapsed_ms}ms`);
  return structuredResult(result, !success);
}
