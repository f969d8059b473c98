/**
 * Shapes tool results: a structured object goes out as `structuredContent` AND as compact JSON
 * text in `content[0].text` (some hosts read only `content`); refusals are one-line texts with
 * `isError: true`. Also the error-summary rules shared by both run tools.
 */
import { readTailText } from '../infrastructure/fs/file_reads.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { open } from 'node:fs/promises';
import { lastCodePoints } from './text_tail.js';

/** Maximum length of `error_summary`, in code points. */
export const ERROR_SUMMARY_MAX = 1200;

/** A result carrying `value` both ways; `isError` when the run failed. */
export function structuredResult<T extends Record<string, unknown>>(value: T, isError: boolean): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: value,
    isError,
  };
}

/** A refusal: one line of text, `isError: true`, no structured content. */
export function refusal(message: string): CallToolResult {
  return { content: [{ type: 'text', text: oneLine(message) }], isError: true };
}

/** A plain successful text result (read_text_tail). */
export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: false };
}

/** Collapses whitespace runs (newlines included) to single spaces and trims. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts `text` to {@link ERROR_SUMMARY_MAX} code points, keeping the head (the cause comes first). */
export function capHead(text: string, max: number = ERROR_SUMMARY_MAX): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * The built server's fallback summary: the last {@link ERROR_SUMMARY_MAX} characters of codex's
 * stderr log, or of its stdout log when stderr is empty (blank-only counts as empty).
 */
export async function logTailSummary(stderrLog: string, stdoutLog: string): Promise<string> {
  for (const file of [stderrLog, stdoutLog]) {
    const text = (await readTailText(file, ERROR_SUMMARY_MAX * 4)).trim();
    if (text !== '') return lastCodePoints(text, ERROR_SUMMARY_MAX);
  }
  return '';
}
