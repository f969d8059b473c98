/**
 * What every host entry for this server needs, whatever the host's file format: how to start the
 * server (absolute node + absolute bin, so no PATH lookup in the host), the repository root, an
 * absolute CODEX_BIN (hosts such as Claude Code start servers with a PATH that lacks codex), and
 * the timeouts derived from the tool's own limits.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveCodexBin } from '../../infrastructure/adapter/codex/index.js';
import { packageRoot } from '../../infrastructure/package_paths.js';
import { parsePositiveInt } from '../config.js';
import { DEFAULT_TIMEOUT_S } from '../tool_schemas.js';
import { err, ok, type Result } from '../../domain/result.js';

/** The calls one art-loop iteration makes at once (four variants): what the queue must absorb. */
export const TYPICAL_PARALLEL_CALLS = 4;
/** Slack on top of the worst run + queue time (start-up, artifact checks). */
export const TOOL_TIMEOUT_MARGIN_S = 60;
/** How long a host should wait for `initialize` + `tools/list` on a loaded machine. */
export const STARTUP_TIMEOUT_S = 30;

/** Variables a host must forward when it filters the environment (codex does). */
export const FORWARDED_ENV = [
  'CODEX_HOME',
  'CODEX_API_KEY',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'CODEX_PROFILE',
  'CODEX_LINK_CONFIG',
  'ART_LOOP_RUNS_DIR',
  'ART_LOOP_MAX_CONCURRENCY',
  'ART_LOOP_PYTHON',
  'ART_LOOP_PROMPT_TEMPLATE',
  'ART_LOOP_WORKDIR',
  'CODEX_CHILD_ROOT',
  'CODEX_CHILD_SANDBOX',
] as const;

/** Host-independent facts of one entry. */
export interface HostEntry {
  /** Absolute node executable. */
  command: string;
  /** `[<absolute bin/codex-child-mcp>]`. */
  args: string[];
  /** Fixed environment of the server. */
  env: Record<string, string>;
  /** Seconds a host may wait for one tool call. */
  toolTimeoutSec: number;
  startupTimeoutSec: number;
}

/** Result of {@link buildHostEntry}. */
export type HostEntryOutcome = Result<HostEntry, string>;

/** Absolute path of this package's `bin/codex-child-mcp`. */
export function serverBinPath(): string {
  return path.join(packageRoot(), 'bin', 'codex-child-mcp');
}

/**
 * Longest time one call can take: its own run (`timeout_s`, default 900) plus waiting behind
 * `ceil(TYPICAL_PARALLEL_CALLS / concurrency) - 1` full rounds of the queue, plus a margin.
 */
export function toolTimeoutSec(maxConcurrency: number, timeoutS: number = DEFAULT_TIMEOUT_S): number {
  const rounds = Math.max(1, Math.ceil(TYPICAL_PARALLEL_CALLS / Math.max(1, maxConcurrency)));
  return timeoutS * rounds + TOOL_TIMEOUT_MARGIN_S;
}

/**
 * Builds the entry for a repository root. Fails (one line) when the root does not exist, codex
 * cannot be found (CODEX_BIN, else PATH) or ART_LOOP_MAX_CONCURRENCY is invalid.
 */
export async function buildHostEntry(repoRootArg: string, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<HostEntryOutcome> {
  const repoRoot = path.resolve(cwd, repoRootArg);
  if (!existsSync(repoRoot)) return err(`repository root not found: ${repoRoot}`);
  const wanted = env.CODEX_BIN !== undefined && env.CODEX_BIN !== '' ? env.CODEX_BIN : 'codex';
  const codexBin = await resolveCodexBin(wanted, env.PATH, cwd);
  if (codexBin === null) return err(`codex not found (${wanted}): install @openai/codex or set CODEX_BIN to its absolute path`);
  let concurrency = 4;
  const entryEnv: Record<string, string> = { ART_LOOP_REPO_ROOT: repoRoot, CODEX_BIN: codexBin };
  if (env.ART_LOOP_MAX_CONCURRENCY !== undefined && env.ART_LOOP_MAX_CONCURRENCY !== '') {
    const parsed = parsePositiveInt(env.ART_LOOP_MAX_CONCURRENCY);
    if (parsed === null) return err(`ART_LOOP_MAX_CONCURRENCY must be a positive integer, got ${JSON.stringify(env.ART_LOOP_MAX_CONCURRENCY)}`);
    concurrency = parsed;
    entryEnv.ART_LOOP_MAX_CONCURRENCY = String(parsed);
  }
  return ok({
    command: process.execPath,
    args: [serverBinPath()],
    env: entryEnv,
    toolTimeoutSec: toolTimeoutSec(concurrency),
    startupTimeoutSec: STARTUP_TIMEOUT_S,
  });
}
