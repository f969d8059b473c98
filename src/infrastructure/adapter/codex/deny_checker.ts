/**
 * The `.env` deny rule on the payload (contract §5) and the two `CODEX_DENY_DOTENV` switches
 * (§2: the payload check and the snapshot use different tests, both kept).
 */
import { childError } from '../../../domain/errors.js';
import { err, ok, type Result } from '../../../domain/result.js';
import type { TeammatePayload } from './payload_validator.js';
import type { EnvRecord } from '../../env.js';
import { envValue } from '../../env.js';
import { pyOr, pyStr, pyStrOr } from '../../../compat/python/py_render.js';
import { pyLower, pySplitCommaSpace, pyStrip, pyStripChars } from '../../../compat/python/py_text.js';
import type { PyValue } from '../../../compat/python/py_value.js';
import { emptyList } from '../../../compat/python/py_value.js';

/** The payload fields that are scanned, in scan order. */
export type DotenvField = 'title' | 'description' | 'target_paths' | 'depends_on';

/** One offending string: the field and its original (not lower-cased) text. */
export interface DotenvHit {
  readonly field: DotenvField;
  readonly text: string;
}

/** How many hits the message lists. */
const MAX_HITS_SHOWN = 5;

/** Characters stripped from both ends of each token (backticks and `<>` are not). */
const TOKEN_WRAPPERS = `'"()[]{}`;

/**
 * Whether the payload check runs: `CODEX_DENY_DOTENV` (empty/unset = `1`) stripped of Python
 * whitespace is not `0`. So ` 0 ` disables it.
 */
export function isDenyPayloadCheckEnabled(env: EnvRecord): boolean {
  return pyStrip(envValue(env, 'CODEX_DENY_DOTENV', '1')) !== '0';
}

/**
 * Whether the `.env*` snapshot/verify runs (§7): only a value of exactly `0` disables it, so
 * ` 0 ` keeps the snapshot on while disabling the payload check.
 */
export function isDotenvSnapshotEnabled(env: EnvRecord): boolean {
  return envValue(env, 'CODEX_DENY_DOTENV', '1') !== '0';
}

/**
 * The §5 match rule for one string: lower-case, strip, must contain `.env`; split on `[,\s]+`;
 * strip `'"()[]{}` from each token; a non-empty token matches when it starts with `.env` or
 * contains `/.env` or `\.env`.
 */
export function containsDotenvReference(raw: string): boolean {
  const text = pyStrip(pyLower(raw));
  if (!text.includes('.env')) return false;
  for (const rawToken of pySplitCommaSpace(text)) {
    const token = pyStripChars(rawToken, TOKEN_WRAPPERS);
    if (token === '') continue;
    if (token.startsWith('.env') || token.includes('/.env') || token.includes('\\.env')) return true;
  }
  return false;
}

/** Hits of one field: each item (pyStr) of a list, or the pyStr of any other value. */
function fieldHits(field: DotenvField, value: PyValue): DotenvHit[] {
  const texts = value.kind === 'list' ? value.items.map(pyStr) : [pyStr(value)];
  return texts.filter(containsDotenvReference).map((text) => ({ field, text }));
}

/**
 * All hits in scan order: `title`, `description` (as `str(value or "")`), then the items of
 * `target_paths` and `depends_on` (as `value or []`). Nothing else is scanned.
 */
export function collectDotenvHits(payload: TeammatePayload): DotenvHit[] {
  const { task } = payload;
  return [
    ...fieldHits('title', { kind: 'str', value: pyStrOr(task.title, '') }),
    ...fieldHits('description', { kind: 'str', value: pyStrOr(task.description, '') }),
    ...fieldHits('target_paths', pyOr(task.targetPaths, emptyList())),
    ...fieldHits('depends_on', pyOr(task.dependsOn, emptyList())),
  ];
}

/**
 * The §5 payload check itself (the caller decides whether it runs, see
 * {@link isDenyPayloadCheckEnabled}).
 *
 * @returns success when nothing matches, otherwise a `dotenv_reference` error (exit 3) whose
 *   message lists the first five hits, e.g. `deny rule violation: .env/.env.* references are
 *   forbidden in task payload (task_id=T9; description:…, target_paths:src/.env)`; `details` holds
 *   `taskId` and all `hits`.
 */
export function checkDotenvReferences(payload: TeammatePayload): Result<void> {
  const hits = collectDotenvHits(payload);
  if (hits.length === 0) return ok(undefined);
  const taskId = pyStrOr(payload.task.id, '');
  const preview = hits
    .slice(0, MAX_HITS_SHOWN)
    .map((hit) => `${hit.field}:${hit.text}`)
    .join(', ');
  return err(childError({
    reason: 'dotenv_reference',
    message:
      'deny rule violation: .env/.env.* references are forbidden in task payload ' +
      `(task_id=${taskId === '' ? 'unknown' : taskId}; ${preview})`,
    details: { taskId, hits },
  }));
}
