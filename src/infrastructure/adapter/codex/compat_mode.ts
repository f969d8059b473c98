/**
 * The one place that decides which contract a teammate call follows (agent-dock-head-contract.md
 * §2): V661, byte for byte, or the rules of agent-dock HEAD (a26eb88) — phase-aware prompts, the
 * phase-driven fallback and `CODEX_STREAM_EXEC_KEEP_LINES`. Everything that differs between the
 * two asks the {@link CompatDecision} made here.
 */
import type { EnvRecord } from '../../env.js';

/** `v661`: the V661 contract; `agent-dock-head`: agent-dock a26eb88's rules. */
export type CompatMode = 'v661' | 'agent-dock-head';

/** The exact `CODEX_WRAPPER_COMPAT` value that opts in (case-sensitive, never trimmed). */
export const HEAD_COMPAT_VALUE = 'agent-dock-head';

/** Default `CODEX_STREAM_EXEC_KEEP_LINES` (§7). */
export const DEFAULT_KEEP_LINES = 3;

/** What the caller chose; unset fields come from the environment. */
export interface CompatChoice {
  compat?: CompatMode;
  /** The raw `RESULT_PHASE` (judged only by HEAD's fallback, so `bogus` is representable). */
  resultPhase?: string;
}

/** The decision for one call. */
export interface CompatDecision {
  mode: CompatMode;
  /** The raw result phase in HEAD mode; undefined in V661 mode or when none was given. */
  resultPhase: string | undefined;
  /** One line for stderr when `CODEX_WRAPPER_COMPAT` holds a value that is not recognised. */
  warning: string | null;
}

/**
 * §2: HEAD mode when `RESULT_PHASE` is set and not empty, or `CODEX_WRAPPER_COMPAT` is exactly
 * `agent-dock-head`; otherwise V661. An explicit `choice.compat` wins over the environment, and an
 * explicit `choice.resultPhase` stands for `RESULT_PHASE`.
 */
export function decideCompat(env: EnvRecord, choice: CompatChoice = {}): CompatDecision {
  const resultPhase = choice.resultPhase ?? env.RESULT_PHASE;
  const compatVar = env.CODEX_WRAPPER_COMPAT;
  const optedIn = compatVar === HEAD_COMPAT_VALUE;
  const mode: CompatMode = choice.compat ?? ((resultPhase !== undefined && resultPhase !== '') || optedIn ? 'agent-dock-head' : 'v661');
  // Any other value is treated as unset; say so once, since a near miss (`agent-dock-HEAD`) is likely a typo.
  const warning =
    choice.compat === undefined && compatVar !== undefined && compatVar !== '' && !optedIn
      ? `[codex_wrapper] warning: CODEX_WRAPPER_COMPAT=${JSON.stringify(compatVar)} is not recognised (only "${HEAD_COMPAT_VALUE}"); ignored`
      : null;
  return { mode, resultPhase: mode === 'agent-dock-head' ? resultPhase : undefined, warning };
}

/**
 * §7 parsing of `CODEX_STREAM_EXEC_KEEP_LINES`: unset or empty → 3; an optional `-` and decimal
 * digits → that integer (`007` → `7`); anything else → `none` (no limit).
 */
export function parseKeepLines(value: string | undefined): string {
  if (value === undefined || value === '') return String(DEFAULT_KEEP_LINES);
  return /^-?[0-9]+$/.test(value) ? BigInt(value).toString() : 'none';
}

/**
 * What the executor's view gets on top of the caller's environment. HEAD mode: the `all_compact`
 * fold (`CODEX_EXECUTOR_KEEP_LINES`) and no line truncation (HEAD never reads
 * `CODEX_STREAM_EXEC_MAX_CHARS`). V661 mode: the fold variable is removed, so V661's view is kept.
 */
export function viewEnvOverrides(decision: CompatDecision, env: EnvRecord): Record<string, string | undefined> {
  if (decision.mode === 'v661') return { CODEX_EXECUTOR_KEEP_LINES: undefined };
  return { CODEX_EXECUTOR_KEEP_LINES: parseKeepLines(env.CODEX_STREAM_EXEC_KEEP_LINES), CODEX_STREAM_EXEC_MAX_CHARS: '0' };
}
