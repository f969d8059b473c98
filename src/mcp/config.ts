/**
 * Start-up configuration of the MCP server, read once from the environment. Every problem is a
 * one-line message; `main` prints it on stderr and exits non-zero (contract §3.11).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../infrastructure/package_paths.js';
import { resolveReal } from './path_policy.js';
import { err, ok, type Result } from '../domain/result.js';

/** Sandbox modes codex 0.169 accepts for `-s`. */
export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
/** One of {@link SANDBOX_MODES}. */
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** Where the artist's codex runs (`-C`): the variant directory or the repository root. */
export type ArtistWorkdir = 'variant' | 'repo';

/** The server's settings. All paths are absolute and symlink-free. */
export interface ServerConfig {
  /** ART_LOOP_REPO_ROOT, else the git root of the server's cwd, else the cwd. */
  repoRoot: string;
  /** ART_LOOP_RUNS_DIR (relative: to the repo root), else `<repoRoot>/sketch/agent_loop/runs`. */
  runsRoot: string;
  /** CODEX_CHILD_ROOT (relative: to the repo root), else the repo root: `codex.run_task` workspaces. */
  childRoot: string;
  /** ART_LOOP_MAX_CONCURRENCY, default 4. */
  maxConcurrency: number;
  /** CODEX_CHILD_SANDBOX, default `workspace-write`. */
  sandbox: SandboxMode;
  /** ART_LOOP_PYTHON, default `python3`: the interpreter named in the artist's render command. */
  python: string;
  /** ART_LOOP_PROMPT_TEMPLATE (relative: to the repo root), else the shipped template. */
  promptTemplatePath: string;
  /** ART_LOOP_WORKDIR (`variant` | `repo`), default `variant`. */
  artistWorkdir: ArtistWorkdir;
  /**
   * ART_LOOP_ALLOW_SLASH_TMP=1 keeps `/tmp` writable for the artist under `workspace-write`;
   * by default it is excluded (`sandbox_workspace_write.exclude_slash_tmp=true`).
   */
  allowSlashTmp: boolean;
  /** CODEX_CHILD_KILL_GRACE_MS, default 3000: SIGTERM → SIGKILL grace. */
  killGraceMs: number;
  /** The environment children start from (the server's own). */
  env: Readonly<Record<string, string | undefined>>;
}

/** Result of {@link loadServerConfig}. */
export type ConfigOutcome = Result<ServerConfig, string>;

const nonEmpty = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * The first ancestor of `start` (itself included) that contains `.git` (a directory, or a file as
 * in worktrees and submodules); null when there is none.
 */
export function findGitRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Parses a strictly positive decimal integer (surrounding blanks allowed); anything else → null.
 */
export function parsePositiveInt(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\+?\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** The template shipped with the package. */
export function defaultPromptTemplatePath(): string {
  return path.join(packageRoot(), 'templates', 'art_loop_artist_prompt.md');
}

/**
 * Reads the configuration from `env` (default `process.env`) for a server started in `cwd`.
 */
export async function loadServerConfig(env: Readonly<Record<string, string | undefined>> = process.env, cwd: string = process.cwd()): Promise<ConfigOutcome> {
  const fail = (message: string): ConfigOutcome => err(message);

  let maxConcurrency = 4;
  if (env.ART_LOOP_MAX_CONCURRENCY !== undefined && env.ART_LOOP_MAX_CONCURRENCY !== '') {
    const parsed = parsePositiveInt(env.ART_LOOP_MAX_CONCURRENCY);
    if (parsed === null) return fail(`ART_LOOP_MAX_CONCURRENCY must be a positive integer, got ${JSON.stringify(env.ART_LOOP_MAX_CONCURRENCY)}`);
    maxConcurrency = parsed;
  }

  let killGraceMs = 3000;
  if (nonEmpty(env.CODEX_CHILD_KILL_GRACE_MS)) {
    const parsed = parsePositiveInt(env.CODEX_CHILD_KILL_GRACE_MS);
    if (parsed === null) return fail(`CODEX_CHILD_KILL_GRACE_MS must be a positive integer, got ${JSON.stringify(env.CODEX_CHILD_KILL_GRACE_MS)}`);
    killGraceMs = parsed;
  }

  const sandbox = nonEmpty(env.CODEX_CHILD_SANDBOX) ? env.CODEX_CHILD_SANDBOX.trim() : 'workspace-write';
  if (!(SANDBOX_MODES as readonly string[]).includes(sandbox)) {
    return fail(`CODEX_CHILD_SANDBOX must be one of ${SANDBOX_MODES.join(', ')}, got ${JSON.stringify(sandbox)}`);
  }

  const workdir = nonEmpty(env.ART_LOOP_WORKDIR) ? env.ART_LOOP_WORKDIR.trim() : 'variant';
  if (workdir !== 'variant' && workdir !== 'repo') return fail(`ART_LOOP_WORKDIR must be "variant" or "repo", got ${JSON.stringify(workdir)}`);

  const absoluteCwd = path.resolve(cwd);
  const repoRoot = await resolveReal(nonEmpty(env.ART_LOOP_REPO_ROOT) ? env.ART_LOOP_REPO_ROOT : (findGitRoot(absoluteCwd) ?? absoluteCwd), absoluteCwd);
  if (!existsSync(repoRoot)) return fail(`repository root not found: ${repoRoot} (ART_LOOP_REPO_ROOT)`);
  const runsRoot = await resolveReal(nonEmpty(env.ART_LOOP_RUNS_DIR) ? env.ART_LOOP_RUNS_DIR : path.join('sketch', 'agent_loop', 'runs'), repoRoot);
  const childRoot = await resolveReal(nonEmpty(env.CODEX_CHILD_ROOT) ? env.CODEX_CHILD_ROOT : repoRoot, repoRoot);
  if (!existsSync(childRoot)) return fail(`CODEX_CHILD_ROOT not found: ${childRoot}`);
  const promptTemplatePath = nonEmpty(env.ART_LOOP_PROMPT_TEMPLATE)
    ? path.resolve(repoRoot, env.ART_LOOP_PROMPT_TEMPLATE)
    : defaultPromptTemplatePath();

  return ok({
    repoRoot,
    runsRoot,
    childRoot,
    maxConcurrency,
    sandbox: sandbox as SandboxMode,
    python: nonEmpty(env.ART_LOOP_PYTHON) ? env.ART_LOOP_PYTHON.trim() : 'python3',
    promptTemplatePath,
    artistWorkdir: workdir,
    allowSlashTmp: env.ART_LOOP_ALLOW_SLASH_TMP === '1',
    killGraceMs,
    env,
  });
}
