/**
 * agent-dock HEAD's fallback when codex wrote no last message (agent-dock-head-contract.md §6):
 * the block at the last real `RESULT:` line of the agent messages, read strictly (no duplicate
 * keys, all four present, one message only), with JUDGMENT required in decision phases and
 * CHANGED_FILES normalised. It replaces the V661 key-by-key fallback in HEAD mode.
 */
import { normalizeChangedFilesText, normalizeJudgment, RESULT_PLACEHOLDERS, type PhaseJudgment } from './result_parser.js';
import { isDecisionPhase, normalizeTaskPhase } from './task_phase.js';
import { err, ok, type Result } from '../../../domain/result.js';

/** The stderr line when `RESULT_PHASE` is missing, empty or names no phase (§6.1). */
export const INVALID_PHASE_LINE = 'missing or invalid RESULT_PHASE';
/** The stderr line when the phase is valid but no usable block was found (§6.6). */
export const NO_BLOCK_LINE = 'result block not found';

/** The fallback's outcome: the block text, or the one stderr line that explains why there is none. */
export type PhaseFallback = Result<string, typeof INVALID_PHASE_LINE | typeof NO_BLOCK_LINE>;

type BlockKey = 'RESULT' | 'SUMMARY' | 'CHANGED_FILES' | 'CHECKS' | 'JUDGMENT';

/** §6.3 line patterns; `\s` and trim are JavaScript's, `.` stops at line terminators. */
const LINE_PATTERNS: ReadonlyArray<readonly [BlockKey, RegExp]> = [
  ['RESULT', /^RESULT:\s*(.+)$/],
  ['SUMMARY', /^SUMMARY:\s*(.+)$/],
  ['CHANGED_FILES', /^CHANGED_FILES:\s*(.*)$/],
  ['CHECKS', /^CHECKS:\s*(.+)$/],
  ['JUDGMENT', /^JUDGMENT:\s*(.*)$/],
];

function matchLine(line: string): { key: BlockKey; value: string } | null {
  for (const [key, pattern] of LINE_PATTERNS) {
    const match = pattern.exec(line);
    if (match) return { key, value: (match[1] ?? '').trim() };
  }
  return null;
}

/** §6.2: each message split on `\n` (a `\r` before it dropped), each line trimmed. */
function messageLines(texts: readonly string[]): string[][] {
  return texts.map((text) => text.split(/\r?\n/).map((line) => line.trim()));
}

/** §6.3 steps 1–4: the keys of the block at the last non-placeholder RESULT line, or null. */
function readBlock(messages: readonly string[][]): Map<BlockKey, string> | null {
  for (let m = messages.length - 1; m >= 0; m -= 1) {
    const lines = messages[m] ?? [];
    for (let start = lines.length - 1; start >= 0; start -= 1) {
      const first = matchLine(lines[start] ?? '');
      // The prompt's own `RESULT: completed|blocked` never starts a block (§8.1 d).
      if (first?.key !== 'RESULT' || first.value === RESULT_PLACEHOLDERS.RESULT) continue;
      const values = new Map<BlockKey, string>();
      for (const line of lines.slice(start)) {
        const found = line === '' ? null : matchLine(line);
        if (found === null) break;
        if (values.has(found.key)) return null; // a key twice: no result
        values.set(found.key, found.value);
      }
      const complete = (['RESULT', 'SUMMARY', 'CHANGED_FILES', 'CHECKS'] as const).every((key) => values.has(key));
      return complete ? values : null; // only the last RESULT line counts, complete or not
    }
  }
  return null;
}

/**
 * The HEAD fallback (§6). `resultPhase` is the raw `RESULT_PHASE`; it is judged first, before any
 * block is looked at.
 *
 * @param texts the agent messages in order (or, when no JSON event was parsed, the stream log as
 *   one text).
 * @returns the block without a trailing newline (4 lines, or 5 with JUDGMENT), or the stderr line.
 */
export function phaseFallbackResult(texts: readonly string[], resultPhase: string | undefined): PhaseFallback {
  const phase = normalizeTaskPhase(resultPhase);
  if (phase === null) return err(INVALID_PHASE_LINE);
  const block = readBlock(messageLines(texts));
  if (block === null) return err(NO_BLOCK_LINE);
  const judgment: PhaseJudgment | null = block.has('JUDGMENT') ? normalizeJudgment(block.get('JUDGMENT') ?? '') : null;
  const decision = isDecisionPhase(phase);
  if (decision && judgment === null) return err(NO_BLOCK_LINE);
  const lines = [
    `RESULT: ${block.get('RESULT')}`,
    `SUMMARY: ${block.get('SUMMARY')}`,
    `CHANGED_FILES: ${normalizeChangedFilesText(block.get('CHANGED_FILES') ?? '')}`,
    `CHECKS: ${block.get('CHECKS')}`,
  ];
  // Outside decision phases a valid JUDGMENT is kept and an invalid one dropped (§6.4).
  if (judgment !== null) lines.push(`JUDGMENT: ${judgment}`);
  return ok(lines.join('\n'));
}
