/**
 * The CLI's edge: `process.env` is read here, once, and mapped to the library's typed run options
 * with the executor's own rules (V661: empty = unset, flags compare the exact string `1`). A value
 * codex judges but the typed options cannot hold (`CODEX_SANDBOX=bogus`) is left to the env, so
 * it still reaches codex byte for byte, as before.
 */
import {
  executorSettingsFromEnv,
  REASONING_EFFORTS,
  SANDBOX_MODES,
  type CodexSettingsOptions,
  type ReasoningEffort,
  type SandboxMode,
  decideCompat,
  type CodexRunOptions,
} from '../infrastructure/adapter/codex/index.js';
import type { EnvRecord } from '../infrastructure/env.js';

/** The options a wrapper run takes from its environment, and the warnings to print first. */
export interface EnvRunOptions {
  options: CodexSettingsOptions & Pick<CodexRunOptions, 'compat' | 'resultPhase' | 'runDir'>;
  warnings: string[];
}

const isOneOf = <T extends string>(choices: readonly T[], value: string): value is T => (choices as readonly string[]).includes(value);

/** Maps the wrapper's settings variables to typed options (README "Environment variables"). */
export function envRunOptions(env: EnvRecord): EnvRunOptions {
  const settings = executorSettingsFromEnv(env);
  // RESULT_PHASE / CODEX_WRAPPER_COMPAT → the library's typed choice (agent-dock-head-contract.md §2).
  const compat = decideCompat(env);
  const options: EnvRunOptions['options'] = {
    compat: compat.mode,
    ...(compat.resultPhase !== undefined ? { resultPhase: compat.resultPhase } : {}),
    ...(env.CODEX_RUN_DIR ? { runDir: env.CODEX_RUN_DIR } : {}),
    ...(settings.model !== null ? { model: settings.model } : {}),
    ...(isOneOf<SandboxMode>(SANDBOX_MODES, settings.sandbox) ? { sandbox: settings.sandbox } : {}),
    ...(settings.profile !== null ? { profile: settings.profile } : {}),
    ...(settings.reasoningEffort !== null && isOneOf<ReasoningEffort>(REASONING_EFFORTS, settings.reasoningEffort) ? { reasoningEffort: settings.reasoningEffort } : {}),
    view: settings.view,
    skipGitRepoCheck: settings.skipGitRepoCheck,
  };
  return { options, warnings: compat.warning !== null ? [compat.warning] : [] };
}
