/**
 * The typed codex settings of a run (model, sandbox, profile, reasoning effort, view, git-repo
 * check) and the one mapping from them to the executor's env settings. The executor keeps reading
 * its `CODEX_*` variables (TypeScript → shell is the prompt on stdin plus env settings); this
 * module owns how a typed option becomes one of them. {@link executorSettingsFromEnv} is the
 * TypeScript model of `scripts/codex_executor.sh`'s own parsing, so both sides agree.
 */
import { childError, type CodexChildError } from '../../../domain/errors.js';
import type { EnvRecord } from '../../env.js';

/** codex's `-s` values. */
export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/**
 * `model_reasoning_effort` values named by codex 0.169's bundled model catalog (which levels a
 * model supports varies; codex itself passes any string on to the model).
 */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** The executor's live views (README "Stream views"). */
export const STREAM_VIEWS = ['all', 'all_compact', 'assistant', 'thinking'] as const;
export type StreamView = (typeof STREAM_VIEWS)[number];

/** Typed codex settings; each one left out comes from the run's env (options win over env). */
export interface CodexSettingsOptions {
  /** `-m` (env `CODEX_MODEL`; default: codex's configured model). */
  model?: string;
  /** `-s` (env `CODEX_SANDBOX`, or `workspace-write` when `CODEX_FULL_AUTO=1`; default `workspace-write`). */
  sandbox?: SandboxMode;
  /** `-p` (env `CODEX_PROFILE`; default none). An isolated run also links `<profile>.config.toml`. */
  profile?: string;
  /** `-c model_reasoning_effort="…"` (env `CODEX_REASONING_EFFORT`; default: codex's). */
  reasoningEffort?: ReasoningEffort;
  /** The live stream view (env `CODEX_STREAM_VIEW`; default `all`). */
  view?: StreamView;
  /** `--skip-git-repo-check` (env `CODEX_SKIP_GIT_REPO_CHECK`: on unless it is set to something other than `1`; default true). */
  skipGitRepoCheck?: boolean;
}

/** What the executor does with its env: the settings after its parsing rules (raw strings kept). */
export interface ExecutorSettings {
  model: string | null;
  sandbox: string;
  profile: string | null;
  reasoningEffort: string | null;
  view: StreamView;
  skipGitRepoCheck: boolean;
}

const nonEmpty = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

/**
 * The executor's rules, exactly: empty = unset; `CODEX_FULL_AUTO=1` forces `workspace-write`;
 * an unknown view is `all`; the git check is skipped when `CODEX_SKIP_GIT_REPO_CHECK` is unset,
 * empty or exactly `1`. Values codex judges (model, sandbox, profile, effort) are kept raw.
 */
export function executorSettingsFromEnv(env: EnvRecord): ExecutorSettings {
  const view = env.CODEX_STREAM_VIEW;
  return {
    model: nonEmpty(env.CODEX_MODEL),
    sandbox: env.CODEX_FULL_AUTO === '1' ? 'workspace-write' : (nonEmpty(env.CODEX_SANDBOX) ?? 'workspace-write'),
    profile: nonEmpty(env.CODEX_PROFILE),
    reasoningEffort: nonEmpty(env.CODEX_REASONING_EFFORT),
    view: view === 'all_compact' || view === 'assistant' || view === 'thinking' ? view : 'all',
    skipGitRepoCheck: (nonEmpty(env.CODEX_SKIP_GIT_REPO_CHECK) ?? '1') === '1',
  };
}

const invalid = (message: string, option: string, value: unknown): CodexChildError =>
  childError({ reason: 'invalid_option', message, details: { option, value } });

function checkString(name: string, value: unknown): CodexChildError | null {
  if (value === undefined || (typeof value === 'string' && value !== '')) return null;
  return invalid(`invalid option ${name}: expected a non-empty string, got ${JSON.stringify(value) ?? String(value)}`, name, value);
}

function checkChoice(name: string, value: unknown, choices: readonly string[]): CodexChildError | null {
  if (value === undefined || (typeof value === 'string' && choices.includes(value))) return null;
  return invalid(`invalid option ${name}: ${JSON.stringify(value) ?? String(value)} is not one of ${choices.join(', ')}`, name, value);
}

/** Checks the typed settings at run time (a JS caller may pass anything): the first bad one, or null. */
export function validateSettingsOptions(options: CodexSettingsOptions): CodexChildError | null {
  const skip = options.skipGitRepoCheck as unknown;
  return (
    checkString('model', options.model) ??
    checkChoice('sandbox', options.sandbox, SANDBOX_MODES) ??
    checkString('profile', options.profile) ??
    checkChoice('reasoningEffort', options.reasoningEffort, REASONING_EFFORTS) ??
    checkChoice('view', options.view, STREAM_VIEWS) ??
    (skip === undefined || typeof skip === 'boolean' ? null : invalid(`invalid option skipGitRepoCheck: expected a boolean, got ${JSON.stringify(skip) ?? String(skip)}`, 'skipGitRepoCheck', skip))
  );
}

/**
 * The variables to set on top of `env` so the executor runs with the given (validated) options.
 * Only a setting whose option changes what the executor would read from `env` is written, so a
 * run configured through env alone (the CLI) hands codex exactly the environment it did before;
 * `undefined` removes a variable (`CODEX_FULL_AUTO=1` would override the sandbox).
 */
export function executorSettingsEnv(options: CodexSettingsOptions, env: EnvRecord): Record<string, string | undefined> {
  const current = executorSettingsFromEnv(env);
  const out: Record<string, string | undefined> = {};
  if (options.model !== undefined && options.model !== current.model) out.CODEX_MODEL = options.model;
  if (options.sandbox !== undefined && options.sandbox !== current.sandbox) {
    out.CODEX_SANDBOX = options.sandbox;
    if (env.CODEX_FULL_AUTO === '1') out.CODEX_FULL_AUTO = undefined;
  }
  if (options.profile !== undefined && options.profile !== current.profile) out.CODEX_PROFILE = options.profile;
  if (options.reasoningEffort !== undefined && options.reasoningEffort !== current.reasoningEffort) out.CODEX_REASONING_EFFORT = options.reasoningEffort;
  if (options.view !== undefined && options.view !== current.view) out.CODEX_STREAM_VIEW = options.view;
  if (options.skipGitRepoCheck !== undefined && options.skipGitRepoCheck !== current.skipGitRepoCheck) {
    out.CODEX_SKIP_GIT_REPO_CHECK = options.skipGitRepoCheck ? '1' : '0';
  }
  return out;
}
