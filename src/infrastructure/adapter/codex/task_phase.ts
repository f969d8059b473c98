/**
 * Task phases of agent-dock HEAD (agent-dock-head-contract.md §4.2, §4.3): naming a phase,
 * and reading the payload's phase, which chooses the execute prompt's output contract. These rules
 * have no V661 counterpart and follow HEAD's JavaScript semantics (trim, lower-case, `\b`).
 */
import type { TaskFields } from './payload_validator.js';
import type { PyValue } from '../../../compat/python/py_value.js';

/** The four phases, in HEAD's order. */
export const TASK_PHASES = ['implement', 'review', 'spec_check', 'test'] as const;
/** A phase of a phased agent-dock task. */
export type TaskPhase = (typeof TASK_PHASES)[number];

/** The phases that judge instead of implement: they answer with a fifth `JUDGMENT:` line. */
export const DECISION_PHASES: ReadonlySet<TaskPhase> = new Set(['review', 'spec_check', 'test']);

/** True for `review`, `spec_check` and `test`. */
export function isDecisionPhase(phase: TaskPhase | null): boolean {
  return phase !== null && DECISION_PHASES.has(phase);
}

/**
 * §4.3: a string trimmed (JavaScript whitespace), lower-cased, `-` → `_`, if that is a phase.
 * `" Spec-Check "` → `spec_check`; `"qa"`, `""` → null.
 */
export function normalizeTaskPhase(value: string | undefined): TaskPhase | null {
  if (value === undefined) return null;
  const name = value.trim().toLowerCase().replaceAll('-', '_');
  return (TASK_PHASES as readonly string[]).includes(name) ? (name as TaskPhase) : null;
}

/** §4.3 for a payload value: only a JSON string can name a phase. */
function phaseOfValue(value: PyValue | undefined): TaskPhase | null {
  return value?.kind === 'str' ? normalizeTaskPhase(value.value) : null;
}

/**
 * JavaScript `String(value)` of a JSON value, which HEAD applies to a progress entry's `text`.
 * Only strings matter in practice; the rest keeps the `phase=` scan faithful for odd payloads.
 */
export function jsString(value: PyValue): string {
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return String(value.value);
    case 'int':
      return String(Number(value.value)); // JSON.parse yields a double
    case 'float':
      return String(value.value);
    case 'str':
      return value.value;
    case 'list':
      // Array.prototype.join: null (and undefined) items are empty strings.
      return value.items.map((item) => (item.kind === 'null' ? '' : jsString(item))).join(',');
    case 'dict':
      return '[object Object]';
  }
}

/** §4.2 step 3's pattern: the first `phase=<name>` in a text, name backed off to a word end. */
const PHASE_MARK = /\bphase=([a-z0-9_-]+)\b/iu;

/** §4.2 step 2: `persona_policy.phase_order[trunc(current_phase_index)]`. */
function phaseFromIndex(task: TaskFields): TaskPhase | null {
  const index = task.currentPhaseIndex;
  if (index === undefined || (index.kind !== 'int' && index.kind !== 'float')) return null;
  const i = Math.trunc(Number(index.value)); // NaN stays NaN and fails the checks below
  const policy = task.personaPolicy;
  if (!(i >= 0) || policy?.kind !== 'dict') return null;
  const order = policy.entries.get('phase_order');
  if (order?.kind !== 'list' || order.items.length <= i) return null;
  return phaseOfValue(order.items[i]);
}

/** §4.2 step 3: the last progress entry whose first `phase=` mark names a phase. */
function phaseFromProgressLog(task: TaskFields): TaskPhase | null {
  const log = task.progressLog;
  if (log?.kind !== 'list') return null;
  for (let index = log.items.length - 1; index >= 0; index -= 1) {
    const entry = log.items[index];
    if (entry?.kind !== 'dict') continue;
    const text = entry.entries.get('text');
    const match = PHASE_MARK.exec(text === undefined || text.kind === 'null' ? '' : jsString(text));
    const phase = normalizeTaskPhase(match?.[1]);
    if (phase !== null) return phase;
  }
  return null;
}

/**
 * The payload phase (§4.2), first match wins: `task.current_phase`, then
 * `persona_policy.phase_order[current_phase_index]`, then the last `phase=` mark in the progress
 * log. Null = no phase (the prompt then has the 4-line contract, like `implement`).
 */
export function payloadPhase(task: TaskFields): TaskPhase | null {
  return phaseOfValue(task.currentPhase) ?? phaseFromIndex(task) ?? phaseFromProgressLog(task);
}
