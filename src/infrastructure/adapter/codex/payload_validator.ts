/**
 * Turns the raw stdin bytes into a validated teammate payload, in the drop-in's order (contract
 * §12.2 rows 2–7): empty stdin, size cap, UTF-8, JSON (Python semantics), root object, `task`
 * object. The mode check (row 9) is separate, {@link checkMode}, because the `.env` deny check
 * (row 8) must run between the two.
 */
import { childError, type CodexChildError } from '../../../domain/errors.js';
import { err, ok, type Failure, type Result } from '../../../domain/result.js';
import { parsePyJson } from '../../../compat/python/py_json.js';
import { pyOr, pyStr } from '../../../compat/python/py_render.js';
import type { PyDict, PyValue } from '../../../compat/python/py_value.js';
import { emptyDict, PY_NONE } from '../../../compat/python/py_value.js';

/** Largest accepted payload in bytes (the contract requires at least 8 MiB). */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** The two prompt modes. */
export type PromptMode = 'plan' | 'execute';

/**
 * The `task` fields the prompts read, as raw Python values; `undefined` = key absent (Python's
 * `dict.get` → `None`). V661 reads the first seven; the phase fields matter only in agent-dock
 * HEAD mode (agent-dock-head-contract.md §4.2). Every other key of the task record is ignored.
 */
export interface TaskFields {
  readonly id: PyValue | undefined;
  readonly title: PyValue | undefined;
  readonly description: PyValue | undefined;
  readonly targetPaths: PyValue | undefined;
  readonly dependsOn: PyValue | undefined;
  readonly requiresPlan: PyValue | undefined;
  readonly progressLog: PyValue | undefined;
  /** `task.current_phase` (HEAD mode only). */
  readonly currentPhase: PyValue | undefined;
  /** `task.current_phase_index` (HEAD mode only). */
  readonly currentPhaseIndex: PyValue | undefined;
  /** `task.persona_policy` (HEAD mode only). */
  readonly personaPolicy: PyValue | undefined;
}

/** A payload that passed rows 2–7 of §12.2. */
export interface TeammatePayload {
  /** The whole JSON root object. */
  readonly root: PyDict;
  /** `payload.mode`, unchecked (see {@link checkMode}). */
  readonly mode: PyValue | undefined;
  /** `payload.teammate_id`, raw. */
  readonly teammateId: PyValue | undefined;
  /** `payload.task or {}` — always an object here. */
  readonly task: TaskFields;
}

/**
 * True for a Python dict as the reader builds it. Two plain checks rather than a schema library:
 * this runs on every wrapper start, where loading one costs more than the whole validation (B9).
 */
function isPyDict(value: PyValue | undefined): value is PyDict {
  return value !== undefined && value.kind === 'dict' && value.entries instanceof Map;
}

/** The `task` fields the prompts read (a key that is absent stays `undefined`). */
function taskFields(task: PyDict): TaskFields {
  const get = (key: string) => task.entries.get(key);
  return {
    id: get('id'),
    title: get('title'),
    description: get('description'),
    targetPaths: get('target_paths'),
    dependsOn: get('depends_on'),
    requiresPlan: get('requires_plan'),
    progressLog: get('progress_log'),
    currentPhase: get('current_phase'),
    currentPhaseIndex: get('current_phase_index'),
    personaPolicy: get('persona_policy'),
  };
}

/**
 * The V661 emptiness rule (§3.2) on raw bytes: bash's `$(cat)` drops NUL bytes and removes all
 * trailing `\n`, then `${PAYLOAD// }` deletes U+0020 spaces. The payload is empty when nothing is
 * left, i.e. when (ignoring NULs) it is some spaces followed by some newlines.
 */
export function isEmptyStdin(bytes: Uint8Array): boolean {
  let seenNewline = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (byte === 0x00) continue;
    if (byte === 0x0a) seenNewline = true;
    else if (byte !== 0x20 || seenNewline) return false;
  }
  return true;
}

/**
 * The JSON text V661's Python actually received: `$(cat)` dropped NUL bytes and all trailing
 * newlines before `json.loads` saw the payload. Parsing the same text keeps the error positions
 * of truncated payloads identical (`{"a":` + `\n` → `line 1 column 6 (char 5)`).
 */
export function v661JsonText(decoded: string): string {
  const text = decoded.includes('\0') ? decoded.replaceAll('\0', '') : decoded;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x0a) end -= 1;
  return text.slice(0, end);
}

/** Builds an exit-2 input error. */
function badInput(
  reason: 'empty_stdin' | 'payload_too_large' | 'invalid_utf8' | 'invalid_json' | 'invalid_root' | 'invalid_task',
  message: string,
): Failure {
  return err(childError({ reason, message }));
}

/**
 * Validates the stdin bytes (§12.2 rows 2–7). Never throws.
 *
 * @returns the typed payload, or a {@link CodexChildError} with exit code 2 whose message is the
 *   exact stderr line (`empty stdin payload`, `invalid input payload: …`).
 */
export function validatePayload(stdin: Uint8Array): Result<TeammatePayload> {
  if (isEmptyStdin(stdin)) return badInput('empty_stdin', 'empty stdin payload');
  if (stdin.length > MAX_PAYLOAD_BYTES) {
    return badInput('payload_too_large', `invalid input payload: payload larger than ${MAX_PAYLOAD_BYTES} bytes`);
  }
  let decoded: string;
  try {
    // ignoreBOM keeps a leading BOM in the text so that the JSON reader rejects it like Python.
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(stdin);
  } catch {
    return badInput('invalid_utf8', 'invalid input payload: payload is not valid UTF-8');
  }
  const parsed = parsePyJson(v661JsonText(decoded));
  if (!parsed.ok) return badInput('invalid_json', `invalid input payload: ${parsed.error}`);
  const root = parsed.value;
  // Row 6: the root must be an object.
  if (!isPyDict(root)) return badInput('invalid_root', 'invalid input payload: root must be JSON object');
  // Row 7, after §3.5's `payload.get("task") or {}`: any falsy value (missing, null, 0, "", [], …) is `{}`.
  const task = pyOr(root.entries.get('task'), emptyDict());
  if (!isPyDict(task)) return badInput('invalid_task', 'invalid input payload: task must be JSON object');
  return ok({ root, mode: root.entries.get('mode'), teammateId: root.entries.get('teammate_id'), task: taskFields(task) });
}

/**
 * §6.0: `mode` must be exactly the string `plan` or `execute` (no trimming, case-sensitive).
 * Run it after the deny check, whose hit wins over an unknown mode.
 *
 * @returns the mode, or an `unknown_mode` error (exit 2) reading `unknown mode: <pyStr(mode)>`,
 *   e.g. `unknown mode: None` when the key is missing.
 */
export function checkMode(payload: TeammatePayload): Result<PromptMode> {
  const mode = payload.mode ?? PY_NONE;
  if (mode.kind === 'str' && (mode.value === 'plan' || mode.value === 'execute')) return ok(mode.value);
  return err(childError({ reason: 'unknown_mode', message: `unknown mode: ${pyStr(mode)}` }));
}
