/**
 * `art_loop.run_codex_artist`: validate → prepare the variant directory's logs → check inputs →
 * queue → run the artist skill through the shared adapter → judge `artifact.json` → make sure an
 * `artifact.json` exists → one short JSON result (contract §3).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pinDir, type PinnedDir } from '../infrastructure/fs/pinned_dir.js';
import { createEmptyFile, UnsafePathError } from '../infrastructure/fs/safe_fs.js';
import { ensureArtifact, judgeArtifact } from './artifact.js';
import { failureReason, failureSummary, runChild, type ChildRunDeps, type ChildRunReport, codexLogFiles } from './child_run.js';
import type { KeyedMutex } from './dir_locks.js';
import { QueueAbortedError } from './fifo_semaphore.js';
import { checkVariantDir, displayPath } from './path_policy.js';
import { progressReporter, type ProgressExtra } from './progress.js';
import { artistPromptValues, renderTemplate, type LoadedTemplate } from './prompt_template.js';
import { selfDisableArgs } from './self_registration.js';
import { capHead, logTailSummary, oneLine, refusal, structuredResult } from './tool_result.js';
import { checkRunArtistArgs, type RunArtistArgs, type RunArtistResult } from './tool_schemas.js';

/** Inputs the orchestrator must have put into the variant directory. */
export const ARTIST_INPUTS = ['artist_context.json', 'creative_brief.json'] as const;

/** Services of the artist tool. */
export interface ArtistToolDeps extends ChildRunDeps {
  template: LoadedTemplate;
  /** Aborted when the server shuts down. */
  shutdown: AbortSignal;
  /** One call per variant directory at a time: later calls wait here (keyed by device:inode). */
  dirLocks: KeyedMutex;
}

/** The SDK's handler `extra`, as far as this tool uses it. */
export interface ToolExtra extends ProgressExtra {
  signal: AbortSignal;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** Extra codex arguments of an artist run (sandbox tightening, recursion guard). */
async function artistCodexArgs(variantDir: string, deps: ArtistToolDeps): Promise<string[]> {
  const args: string[] = [];
  if (deps.config.sandbox === 'workspace-write' && !deps.config.allowSlashTmp) {
    // The artist must not write to /tmp (contract §3.7); its TMPDIR is <variant_dir>/.tmp anyway.
    args.push('-c', 'sandbox_workspace_write.exclude_slash_tmp=true');
  }
  const self = await selfDisableArgs(path.join(variantDir, '.codex_home'), deps.config.env);
  for (const name of self.skipped) deps.log(`warning: mcp_servers.${name} looks like this server but its name cannot be disabled with -c`);
  return [...args, ...self.args];
}

/**
 * Handles one call. Refusals (bad arguments, path rule) create nothing; every call that passed the
 * path rule ends with `artifact.json`, `codex_stdout.txt` and `codex_stderr.txt` in the variant dir.
 */
export async function runArtistTool(rawArgs: unknown, extra: ToolExtra, deps: ArtistToolDeps): Promise<CallToolResult> {
  const args = checkRunArtistArgs(rawArgs);
  if (!args.ok) return refusal(args.error);
  const { config } = deps;
  const checked = await checkVariantDir(args.value.variantDir, config.runsRoot, { base: config.repoRoot, home: config.env.HOME ?? undefined });
  if (!checked.ok) return refusal(checked.error);

  const vd = checked.value;
  const rel = displayPath(vd, config.repoRoot);
  // Pinned from here on: the server's own reads and writes go through the descriptor, and the
  // path is re-checked before codex gets it and before every write (issue 9, item 2).
  let pin: PinnedDir;
  try {
    pin = await pinDir(vd);
  } catch (error) {
    return refusal(`variant_dir changed while being checked: ${vd} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const signal = AbortSignal.any([extra.signal, deps.shutdown]);
  let unlock: () => void;
  try {
    unlock = await deps.dirLocks.acquire(pin.identity, signal);
  } catch (error) {
    await pin.close();
    if (!(error instanceof QueueAbortedError)) throw error;
    return refusal(`cancelled while waiting for the earlier call on ${rel} to finish; nothing was done`);
  }
  try {
    return await runLocked(args.value, extra, deps, pin, rel, signal);
  } finally {
    unlock();
    await pin.close();
  }
}

/** The rest of a call, holding the variant directory's lock. */
async function runLocked(
  args: RunArtistArgs,
  extra: ToolExtra,
  deps: ArtistToolDeps,
  pin: PinnedDir,
  rel: string,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const { config } = deps;
  const vd = pin.real;
  const here = pin.inside('');
  const logs = codexLogFiles(vd);
  const progress = progressReporter(extra, deps.shutdown);
  const base = {
    variant_dir: rel,
    artifact_json_path: `${rel}/artifact.json`,
    stdout_path: `${rel}/stdout.txt`,
    stderr_path: `${rel}/stderr.txt`,
    codex_stdout_path: `${rel}/codex_stdout.txt`,
    codex_stderr_path: `${rel}/codex_stderr.txt`,
    codex_last_message_path: `${rel}/codex_last_message.md`,
  };

  const finish = async (report: ChildRunReport | null, problem: string | null): Promise<CallToolResult> => {
    // A directory swapped meanwhile gets nothing more from us: no artifact through a symlink.
    const moved = await pin.verify();
    const preRunProblem = moved ?? problem;
    const verdict = moved === null ? await judgeArtifact(here) : { success: false, problem: moved, exists: false };
    const written = moved === null ? await ensureArtifact(here, rel) : false;
    const success = report !== null && preRunProblem === null && report.codexExitedZero && report.fatal === null && !report.timedOut && !report.cancelled && verdict.success;
    let summary = '';
    if (!success) {
      summary = preRunProblem ?? (report ? failureSummary(report, args.timeoutS) || (verdict.problem ?? '') : '');
      if (summary === '' && moved === null) summary = await logTailSummary(pin.inside('codex_stderr.txt'), pin.inside('codex_stdout.txt'));
      if (summary === '') summary = 'codex child failed';
    }
    const result: RunArtistResult = {
      status: success ? 'success' : 'failed',
      ...base,
      elapsed_ms: report?.elapsedMs ?? 0,
      server_queue_ms: report ? report.queueMs : null,
      timed_out: report?.timedOut ?? false,
      cancelled: report?.cancelled ?? false,
      exit_code: report?.exitCode ?? null,
      error_summary: capHead(oneLine(summary)),
      reason: success ? null : failureReason(report, preRunProblem),
      ...(report?.usage ? { usage: report.usage } : {}),
      ...(report?.threadId ? { thread_id: report.threadId } : {}),
      artifact_written_by_server: written,
    };
    await progress.final(`finished: ${result.status}`);
    deps.log(`run_codex_artist ${rel}: ${result.status}${success ? '' : ` (${result.error_summary.slice(0, 200)})`} queue=${result.server_queue_ms ?? '-'}ms elapsed=${result.elapsed_ms}ms`);
    return structuredResult(result, !success);
  };

  // From here on the variant directory is valid: the codex logs exist even if codex never starts,
  // and every exit path goes through finish(), which leaves an artifact.json. The logs are
  // created through the pinned descriptor; a planted symlink under a log name is refused.
  try {
    const moved = await pin.verify();
    if (moved !== null) return await finish(null, moved);
    for (const file of Object.values(logs)) await createEmptyFile(pin.inside(path.basename(file)));
  } catch (error) {
    const why = error instanceof UnsafePathError ? error.message.replace(here, vd) : String(error);
    return finish(null, `cannot write the codex logs in ${rel}: ${why}`);
  }
  try {
    const missing: string[] = [];
    for (const name of ARTIST_INPUTS) if (!(await isFile(pin.inside(name)))) missing.push(`${rel}/${name}`);
    if (missing.length > 0) return await finish(null, `missing input file${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);

    const prompt = renderTemplate(
      deps.template.text,
      artistPromptValues({ repoRoot: config.repoRoot, runsRoot: config.runsRoot, variantDir: vd, variantRel: rel, python: config.python }),
    );
    const report = await runChild(
      {
        prompt,
        workdir: config.artistWorkdir === 'variant' ? vd : config.repoRoot,
        runDir: vd,
        logs,
        timeoutMs: args.timeoutS * 1000,
        sandbox: config.sandbox,
        extraCodexArgs: await artistCodexArgs(vd, deps),
        signal,
        progress,
        beforeStart: () => pin.verify(),
      },
      deps,
    );
    return await finish(report, null);
  } catch (error) {
    // Unexpected (a bug or an I/O error): still a one-line failure and an artifact.json.
    return finish(null, `internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
