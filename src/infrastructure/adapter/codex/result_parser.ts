/**
 * The 4-line result block (`RESULT`, `SUMMARY`, `CHANGED_FILES`, `CHECKS`), and the fifth
 * `JUDGMENT` line agent-dock HEAD asks for in decision phases:
 * - {@link fallbackResultText}: V661's fallback when codex wrote no final message (contract §10.3),
 *   fixed so the prompt's own placeholder lines never count as a result (HEAD's is `phase_fallback`);
 * - {@link parseResultBlock}: the library's strict, normalising parser;
 * - {@link normalizeJudgment}, {@link normalizeChangedFilesText}: HEAD's value rules;
 * - {@link verifyChangedFiles}: warnings for claimed changes that nothing backs.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { splitlines as pySplitlines, pyStrip, PY_WHITESPACE_CLASS } from '../../../compat/python/py_text.js';
import type { CodexFileChange } from './codex_events.js';
import { isDecisionPhase, normalizeTaskPhase } from './task_phase.js';

/** The keys of the block, in output order. */
export const RESULT_KEYS = ['RESULT', 'SUMMARY', 'CHANGED_FILES', 'CHECKS'] as const;
export type ResultKey = (typeof RESULT_KEYS)[number];

/** The execute prompt's placeholder values (§6.2); a value equal to one of these is no answer. */
export const RESULT_PLACEHOLDERS: Readonly<Record<ResultKey, string>> = {
  RESULT: 'completed|blocked',
  SUMMARY: '<=100 chars',
  CHANGED_FILES: 'comma-separated',
  CHECKS: 'executed check commands',
};

/** A decision phase's verdict (agent-dock HEAD). */
export type PhaseJudgment = 'pass' | 'changes_required' | 'blocked';

/** The execute prompt's JUDGMENT placeholder (HEAD §4.1); that value is no answer. */
export const JUDGMENT_PLACEHOLDER = 'pass|changes_required|blocked';
/** The execute prompt's fifth line in decision phases. */
export const JUDGMENT_PLACEHOLDER_LINE = `JUDGMENT: ${JUDGMENT_PLACEHOLDER}`;

const JUDGMENT_ALIASES: ReadonlyMap<string, PhaseJudgment> = new Map([
  ['pass', 'pass'],
  ['changes_required', 'changes_required'],
  ['changesrequired', 'changes_required'],
  ['blocked', 'blocked'],
]);

/**
 * HEAD §6.4: trimmed, lower-cased, `-` → `_`, then `pass`, `changes_required` (also
 * `changesrequired`) or `blocked`. `Changes-Required` → `changes_required`; `approve` → null.
 */
export function normalizeJudgment(raw: string): PhaseJudgment | null {
  return JUDGMENT_ALIASES.get(raw.trim().toLowerCase().replaceAll('-', '_')) ?? null;
}

/** HEAD §6.5's empty forms, compared trimmed and case-insensitively (`n/a` is not one). */
const EMPTY_FILE_FORMS = new Set(['', '(none)', 'none', '-']);
const isEmptyFileForm = (item: string): boolean => EMPTY_FILE_FORMS.has(item.trim().toLowerCase());

/**
 * HEAD §6.5: CHANGED_FILES items trimmed, empty forms dropped, joined with `", "`; `(none)` when
 * nothing is left. `src/a.ts ,, - , none, src/b.ts` → `src/a.ts, src/b.ts`. Duplicates are kept.
 */
export function normalizeChangedFilesText(value: string): string {
  if (isEmptyFileForm(value)) return '(none)';
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => !isEmptyFileForm(item));
  return items.length === 0 ? '(none)' : items.join(', ');
}

/** Maximum SUMMARY length in code points. */
export const SUMMARY_MAX_CHARS = 100;

const keyPatterns = Object.fromEntries(
  RESULT_KEYS.map((key) => [key, new RegExp(`^${key}:[${PY_WHITESPACE_CLASS}]*(.+)$`, 'u')]),
) as Record<ResultKey, RegExp>;

/**
 * V661's fallback (§10.2) with the drop-in's two fixes (§10.3): scans `lines` from the end and takes,
 * for each key independently, the last `KEY: value` line whose value is not the placeholder.
 *
 * @param texts the agent messages in order (or, when no JSON event was parsed, the stream log).
 * @returns the rebuilt block without a trailing newline, or null when a key is missing.
 */
export function fallbackResultText(texts: readonly string[]): string | null {
  const lines = texts.flatMap((text) => pySplitlines(text).map((line) => pyStrip(line))).filter((line) => line !== '');
  const found = new Map<ResultKey, string>();
  for (let index = lines.length - 1; index >= 0 && found.size < RESULT_KEYS.length; index -= 1) {
    const line = lines[index] ?? '';
    for (const key of RESULT_KEYS) {
      if (found.has(key)) continue;
      const match = keyPatterns[key].exec(line);
      if (!match) continue;
      const value = pyStrip(match[1] ?? '');
      if (value !== '' && value !== RESULT_PLACEHOLDERS[key]) found.set(key, value);
    }
  }
  if (found.size < RESULT_KEYS.length) return null;
  return RESULT_KEYS.map((key) => `${key}: ${found.get(key)}`).join('\n');
}

/** A normalised result block. */
export interface ResultBlock {
  status: 'completed' | 'blocked';
  /** At most {@link SUMMARY_MAX_CHARS} code points. */
  summary: string;
  /** Clean list: trimmed, no empties, no `none`/`-` markers, no duplicates. */
  changedFiles: string[];
  checks: string;
  /** The fifth line, normalised (HEAD §6.4); present only when the block has a valid one. */
  judgment?: PhaseJudgment;
}

/** Outcome of {@link parseResultBlock}. `issues` explains every rejection or normalisation. */
export interface ParsedResult {
  valid: boolean;
  block: ResultBlock | null;
  issues: string[];
}

/** Options of {@link parseResultBlock}. */
export interface ParseResultOptions {
  /**
   * The call's result phase (`RESULT_PHASE`, raw). In a decision phase (`review`, `spec_check`,
   * `test`) the block must carry a valid JUDGMENT and CHANGED_FILES must be empty, as agent-dock
   * HEAD's orchestrator requires; elsewhere a JUDGMENT line is optional.
   */
  resultPhase?: string;
}

const NO_FILES = new Set(['none', '(none)', '-', 'n/a', '']);
const BLOCK_KEYS = [...RESULT_KEYS, 'JUDGMENT'] as const;
type BlockKey = (typeof BLOCK_KEYS)[number];

function splitChangedFiles(value: string): string[] {
  const files = value
    .split(',')
    .map((item) => pyStrip(item))
    .filter((item) => !NO_FILES.has(item.toLowerCase()));
  return [...new Set(files)];
}

/** The JUDGMENT rules: the value (if valid) and what is wrong, and whether that rejects the block. */
function judgeJudgment(raw: string | undefined, phase: string | undefined): { judgment: PhaseJudgment | null; issue: string | null; fatal: boolean } {
  const decisionPhase = normalizeTaskPhase(phase);
  const required = isDecisionPhase(decisionPhase);
  if (raw === undefined) return { judgment: null, issue: required ? `missing JUDGMENT line (required in the ${decisionPhase} phase)` : null, fatal: required };
  const judgment = normalizeJudgment(raw);
  if (judgment !== null) return { judgment, issue: null, fatal: false };
  const issue = raw === JUDGMENT_PLACEHOLDER ? `JUDGMENT is the prompt's placeholder "${raw}"` : `JUDGMENT must be pass, changes_required or blocked, got "${raw}"`;
  return { judgment: null, issue, fatal: required };
}

/**
 * Parses the block that starts at the last `RESULT:` line (case-insensitive key), the way the
 * TypeScript orchestrator reads it. Rejects a missing key, a RESULT other than completed/blocked,
 * and the prompt's placeholder values; cuts SUMMARY to 100 code points (noted in `issues`). A
 * `JUDGMENT:` line is read with HEAD's aliases; see {@link ParseResultOptions} for decision phases.
 */
export function parseResultBlock(text: string, options: ParseResultOptions = {}): ParsedResult {
  const lines = pySplitlines(text).map((line) => pyStrip(line));
  let start = -1;
  lines.forEach((line, index) => {
    if (/^result\s*:/i.test(line)) start = index;
  });
  if (start < 0) return { valid: false, block: null, issues: ['no RESULT line'] };

  const values = new Map<BlockKey, string>();
  for (const line of lines.slice(start)) {
    const match = /^([A-Za-z_]+)\s*:(.*)$/u.exec(line);
    const key = match?.[1]?.toUpperCase() as BlockKey | undefined;
    if (key && BLOCK_KEYS.includes(key) && !values.has(key)) values.set(key, pyStrip(match?.[2] ?? ''));
  }

  const issues: string[] = [];
  for (const key of RESULT_KEYS) {
    const value = values.get(key);
    if (value === undefined) issues.push(`missing ${key} line`);
    else if (value === RESULT_PLACEHOLDERS[key]) issues.push(`${key} is the prompt's placeholder "${value}"`);
  }
  const status = (values.get('RESULT') ?? '').toLowerCase();
  if (values.has('RESULT') && status !== 'completed' && status !== 'blocked' && values.get('RESULT') !== RESULT_PLACEHOLDERS.RESULT) {
    issues.push(`RESULT must be completed or blocked, got "${values.get('RESULT')}"`);
  }
  const judged = judgeJudgment(values.get('JUDGMENT'), options.resultPhase);
  if (judged.fatal && judged.issue) issues.push(judged.issue);
  const changedFiles = splitChangedFiles(values.get('CHANGED_FILES') ?? '');
  const phase = normalizeTaskPhase(options.resultPhase);
  if (isDecisionPhase(phase) && changedFiles.length > 0) issues.push(`CHANGED_FILES must be (none) in the ${phase} phase, got "${changedFiles.join(', ')}"`);
  if (issues.length > 0) return { valid: false, block: null, issues };

  if (judged.issue) issues.push(`${judged.issue} (ignored outside decision phases)`);
  const summaryPoints = [...(values.get('SUMMARY') ?? '')];
  if (summaryPoints.length > SUMMARY_MAX_CHARS) issues.push(`SUMMARY cut from ${summaryPoints.length} to ${SUMMARY_MAX_CHARS} chars`);
  return {
    valid: true,
    issues,
    block: {
      status: status as ResultBlock['status'],
      summary: summaryPoints.slice(0, SUMMARY_MAX_CHARS).join(''),
      changedFiles,
      checks: values.get('CHECKS') ?? '',
      ...(judged.judgment !== null ? { judgment: judged.judgment } : {}),
    },
  };
}

/**
 * One warning per CHANGED_FILES entry that neither a `file_change` event nor the file system backs.
 * The file system backs an entry whose path (relative to `projectDir`) was modified at or after
 * `runStartedAtMs` (commands that write files emit no `file_change` event).
 */
export async function verifyChangedFiles(
  claimed: readonly string[],
  fileChanges: readonly CodexFileChange[],
  projectDir: string,
  runStartedAtMs: number,
): Promise<string[]> {
  const reported = new Set(fileChanges.map((change) => path.resolve(projectDir, change.path)));
  const warnings: string[] = [];
  for (const entry of claimed) {
    const absolute = path.resolve(projectDir, entry);
    if (reported.has(absolute)) continue;
    const modifiedMs = await stat(absolute).then(
      (stats) => stats.mtimeMs,
      () => null,
    );
    // Filesystem timestamps can be coarser than Date.now(); allow one second of slack.
    if (modifiedMs !== null && modifiedMs >= runStartedAtMs - 1000) continue;
    warnings.push(
      modifiedMs === null
        ? `CHANGED_FILES lists "${entry}", but no file_change event reports it and it does not exist`
        : `CHANGED_FILES lists "${entry}", but no file_change event reports it and it was not modified during the run`,
    );
  }
  return warnings;
}
