/**
 * The plan and execute prompts (contract §6), byte-identical to V661's Python: values rendered
 * with Python `str()`, lengths and cuts in code points, limits from the environment through
 * Python `int()` + clamp. Lines are joined with `\n`; there is no trailing newline. The fixed lines
 * of each contract (V661, agent-dock HEAD) are data in `prompt_templates`.
 */
import type { CompatMode } from './compat_mode.js';
import { promptTemplates, type ExecuteTemplate, type PlanTemplate } from './prompt_templates.js';
import { isDecisionPhase, payloadPhase } from './task_phase.js';
import type { PromptMode, TaskFields, TeammatePayload } from './payload_validator.js';
import type { IntEnvSpec } from '../../../compat/python/py_format.js';
import type { EnvRecord } from '../../env.js';
import { formatFixed3, readPyIntEnv } from '../../../compat/python/py_format.js';
import { pyOr, pyStr, pyStrOr, pyTruthy } from '../../../compat/python/py_render.js';
import { cpLength, cpSlice, cpTruncateWithEllipsis, pyCollapseSpace, pyStrip } from '../../../compat/python/py_text.js';
import type { PyValue } from '../../../compat/python/py_value.js';
import { emptyList } from '../../../compat/python/py_value.js';

/** `CODEX_PROGRESS_RECENT_LINES`: how many of the last progress entries are considered. */
export const RECENT_LINES: IntEnvSpec = { fallback: 8, min: 1, max: 20 };
/** `CODEX_PROGRESS_RECENT_TEXT_CHARS`: cut for one entry's text. */
export const RECENT_TEXT_CHARS: IntEnvSpec = { fallback: 220, min: 80, max: 1200 };
/** `CODEX_PROGRESS_RECENT_TOTAL_CHARS`: cut for the whole recent block. */
export const RECENT_TOTAL_CHARS: IntEnvSpec = { fallback: 2000, min: 400, max: 12000 };
/** `CODEX_PROMPT_MAX_CHARS`: cap of the whole execute prompt. */
export const PROMPT_MAX_CHARS: IntEnvSpec = { fallback: 16000, min: 2000, max: 120000 };

/** Appended to an execute prompt cut by the §6.4 cap. */
const TRUNCATION_MARK = '\n\n[truncated by codex_wrapper]';

/** The limits of the recent progress block (§6.3). */
export interface RecentLimits {
  readonly lines: number;
  readonly textChars: number;
  readonly totalChars: number;
}

/** Reads the three `CODEX_PROGRESS_RECENT_*` limits (Python `int()`, default, clamp). */
export function readRecentLimits(env: EnvRecord): RecentLimits {
  return {
    lines: readPyIntEnv(env, 'CODEX_PROGRESS_RECENT_LINES', RECENT_LINES),
    textChars: readPyIntEnv(env, 'CODEX_PROGRESS_RECENT_TEXT_CHARS', RECENT_TEXT_CHARS),
    totalChars: readPyIntEnv(env, 'CODEX_PROGRESS_RECENT_TOTAL_CHARS', RECENT_TOTAL_CHARS),
  };
}

/**
 * `target_paths` / `depends_on` as the prompt shows them: `value or []`; a list is its items'
 * `str()` joined by `", "`, or `(none)` when empty; any other truthy value is its `str()`.
 */
export function renderPathList(value: PyValue | undefined): string {
  const v = pyOr(value, emptyList());
  if (v.kind !== 'list') return pyStr(v);
  return v.items.length === 0 ? '(none)' : v.items.map(pyStr).join(', ');
}

/**
 * §6.3 sanitize: `\r`/`\n` → space and strip; drop characters below U+0020 except TAB; collapse
 * Python-whitespace runs to one space and strip. `"A\tB\nC\r\u0001D"` → `A B C D`.
 */
export function sanitizeProgressText(raw: string): string {
  const text = pyStrip(raw.replace(/[\r\n]/g, ' '));
  const printable = text.replace(/[\x00-\x08\x0a-\x1f]/g, '');
  return pyStrip(pyCollapseSpace(printable));
}

/**
 * The `[stamp]` of a progress entry: Python `f"{ts:.3f}"` for an int, float or bool timestamp,
 * else `-`. Integers are converted to a double first (correctly rounded, like Python `float()`);
 * one too large for a double crashed V661 and renders `-` here.
 */
export function formatStamp(timestamp: PyValue | undefined): string {
  if (timestamp === undefined) return '-';
  switch (timestamp.kind) {
    case 'bool':
      return formatFixed3(timestamp.value ? 1 : 0);
    case 'int': {
      const asDouble = Number(timestamp.value);
      return Number.isFinite(asDouble) ? formatFixed3(asDouble) : '-';
    }
    case 'float':
      return formatFixed3(timestamp.value);
    default:
      return '-';
  }
}

/**
 * The recent progress block (§6.3) of a `progress_log` list: the last `lines` raw entries,
 * non-objects and empty texts skipped, texts cut to `textChars`, the joined block cut to
 * `totalChars` (possibly mid-line); `(none)` when no line survives.
 */
export function renderRecentProgress(entries: readonly PyValue[], limits: RecentLimits): string {
  const lines: string[] = [];
  // Python's progress_log[-n:] with n ≥ 1.
  for (const entry of entries.slice(Math.max(0, entries.length - limits.lines))) {
    if (entry.kind !== 'dict') continue;
    const text = sanitizeProgressText(pyStrOr(entry.entries.get('text'), ''));
    if (text === '') continue;
    const source = pyStrip(pyStrOr(entry.entries.get('source'), 'unknown')) || 'unknown';
    const stamp = formatStamp(entry.entries.get('timestamp'));
    lines.push(`- [${stamp}] ${source}: ${cpTruncateWithEllipsis(text, limits.textChars)}`);
  }
  if (lines.length === 0) return '(none)';
  return cpTruncateWithEllipsis(lines.join('\n'), limits.totalChars);
}

/** Lines 4–9 of §6.1, shared by both modes. */
function taskLines(task: TaskFields): string[] {
  return [
    `task_id: ${pyStrOr(task.id, '')}`,
    `title: ${pyStrOr(task.title, '')}`,
    `description: ${pyStrOr(task.description, '')}`,
    `target_paths: ${renderPathList(task.targetPaths)}`,
    `depends_on: ${renderPathList(task.dependsOn)}`,
    `requires_plan: ${task.requiresPlan !== undefined && pyTruthy(task.requiresPlan) ? 'True' : 'False'}`,
  ];
}

/** The plan prompt (§6.1, HEAD §3); no progress log, no cap. */
function planPrompt(teammate: string, task: TaskFields, template: PlanTemplate): string {
  return [
    `You are implementation teammate ${teammate}.`,
    'Create only the execution plan for this task.',
    '',
    ...taskLines(task),
    '',
    'Constraints:',
    ...template.constraints,
    '',
    ...template.output,
  ].join('\n');
}

/** The execute prompt (§6.2, HEAD §4.1) with its progress block (§6.3) and whole-prompt cap (§6.4). */
function executePrompt(teammate: string, task: TaskFields, env: EnvRecord, template: ExecuteTemplate): string {
  const log = pyOr(task.progressLog, emptyList());
  let count = 0;
  let recent = '(none)';
  if (log.kind === 'list') {
    // The limits are read only on this path, as in V661.
    count = log.items.length;
    recent = renderRecentProgress(log.items, readRecentLimits(env));
  }
  const prompt = [
    `You are implementation teammate ${teammate}.`,
    'Execute the task below.',
    '',
    ...taskLines(task),
    `existing_progress_log_count: ${count}`,
    'existing_progress_log_recent:',
    recent,
    '',
    'Constraints:',
    ...template.constraints,
    ...Array<string>(template.gap).fill(''),
    ...template.output,
  ].join('\n');
  const max = readPyIntEnv(env, 'CODEX_PROMPT_MAX_CHARS', PROMPT_MAX_CHARS);
  return cpLength(prompt) > max ? cpSlice(prompt, 0, max - 60) + TRUNCATION_MARK : prompt;
}

/**
 * Builds the prompt for `mode` (already checked, see `checkMode`): V661's, or with
 * `compat: 'agent-dock-head'` agent-dock HEAD's, whose execute prompt follows the payload phase
 * (HEAD §4.2; never `RESULT_PHASE`).
 *
 * The result may contain lone surrogates (from `\ud800`-style escapes), which V661 could not
 * print; encode it with `Buffer.from(prompt, 'utf8')`, which writes U+FFFD for them (§4.3).
 *
 * @param env the environment; only `CODEX_PROGRESS_RECENT_*` and `CODEX_PROMPT_MAX_CHARS` are
 *   read, and only in execute mode.
 * @param compat which contract's templates to use (default V661).
 */
export function buildPrompt(payload: TeammatePayload, mode: PromptMode, env: EnvRecord, compat: CompatMode = 'v661'): string {
  const teammate = pyStrOr(payload.teammateId, 'teammate');
  const templates = promptTemplates(compat);
  // V661's templates are the same for both kinds, so the phase only matters in HEAD mode.
  const kind = mode === 'execute' && isDecisionPhase(payloadPhase(payload.task)) ? 'decision' : 'work';
  const prompt = mode === 'plan' ? planPrompt(teammate, payload.task, templates.plan) : executePrompt(teammate, payload.task, env, templates.execute[kind]);
  // V661 captured the prompt with bash's `$(…)`, which drops NUL bytes before codex sees them.
  return prompt.includes('\0') ? prompt.replaceAll('\0', '') : prompt;
}
