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
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { failureSummary, runChild, type ChildRunDeps, codexLogFiles } from './child_run.js';
import { checkWorkspaceDir } from './path_policy.js';
import { progressReporter } from './progress.js';
import type { ToolExtra } from './run_artist.js';
import { selfDisableArgs } from './self_registration.js';
import { lastCodePoints } from './text_tail.js';
import { capHead, logTailSummary, oneLine, refusal, structuredResult } from './tool_result.js';
import { checkRunTaskArgs, type RunTaskResult } from './tool_schemas.js';

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
  if (!args.ok) return refusal(args.message);
  const { config } = deps;
  const checked = await checkWorkspaceDir(args.value.workspaceDir, config.childRoot, { base: config.repoRoot, home: config.env.HOME ?? undefined });
  if (!checked.ok) return refusal(checked.message);

  const workspace = checked.resolved;
  const runsFolder = path.join(workspace, TASK_RUNS_FOLDER);
  const runDir = path.join(runsFolder, newTaskRunId());
  const logs = codexLogFiles(runDir);
  try {
    await mkdir(runDir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(runsFolder, '.gitignore'), '*\n', { flag: 'wx' }).catch(() => undefined);
    await Promise.all(Object.values(logs).map((file) => writeFile(file, '')));
  } catch (error) {
    return refusal(`cannot create the run directory ${runDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }

  const progress = progressReporter(extra, deps.shutdown);
  const self = await selfDisableArgs(path.join(runDir, '.codex_home'), config.env);
  const report = await runChild(
    {
      prompt: args.value.prompt,
      workdir: workspace,
      runDir,
      logs,
      timeoutMs: args.value.timeoutS * 1000,
      sandbox: args.value.sandbox ?? config.sandbox,
      model: args.value.model,
      extraCodexArgs: self.args,
      signal: AbortSignal.any([extra.signal, deps.shutdown]),
      progress,
    },
    deps,
  );

  const success = report.codexExitedZero && report.fatal === null && !report.timedOut && !report.cancelled;
  let summary = '';
  if (!success) {
    summary = failureSummary(report, args.value.timeoutS);
    if (summary === '') summary = await logTailSummary(logs.stderrLog, logs.stdoutLog);
    if (summary === '') summary = 'codex child failed';
  }
  const message = await readFile(logs.lastMessage, 'utf8').catch(() => '');
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
    ...(report.usage ? { usage: report.usage } : {}),
    ...(report.threadId ? { thread_id: report.threadId } : {}),
    final_message: finalMessage,
    final_message_truncated: finalMessage.length !== message.length,
  };
  await progress.final(`finished: ${result.status}`);
  deps.log(`run_task ${runDir}: ${result.status} queue=${result.server_queue_ms}ms elapsed=${result.elapsed_ms}ms`);
  return structuredResult(result, !success);
}
