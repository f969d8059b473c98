/**
 * The stderr report of a failed or empty run (contract §12.1 and §12.2 row 13), built from the
 * executor's stream log. Only the tail of the log is read, so a 50 MB log costs no memory.
 */
import { stat } from 'node:fs/promises';
import { readTailText } from '../../fs/file_reads.js';
import { copyFileNoFollow } from '../../fs/safe_fs.js';
import { childError, type CodexChildError, type CodexChildErrorDetails } from '../../../domain/errors.js';

/** How much of the end of the stream log is read for tails and previews. */
const TAIL_READ_BYTES = 1024 * 1024;

/** The last `count` lines of a text (like `tail -n`); the final newline ends a line. */
function tailOf(text: string, count: number): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count);
}

/** The last `count` lines of a file (like `tail -n`), read from its last MiB. Missing file → []. */
export async function readTailLines(file: string, count: number): Promise<string[]> {
  return tailOf(await readTailText(file, TAIL_READ_BYTES), count);
}

/** Cuts UTF-8 text to at most `maxBytes` bytes without splitting a character (deviation §13 o). */
export function cutUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1; // back off continuation bytes
  return bytes.subarray(0, end).toString('utf8');
}

/** V661's one-line preview: newlines to spaces, whitespace runs squeezed, cut to 1200 bytes. Not trimmed. */
export function previewLines(lines: readonly string[], endsWithNewline: boolean): string {
  const joined = lines.join('\n') + (endsWithNewline ? '\n' : '');
  return cutUtf8(joined.replace(/[ \t\n\v\f\r]+/g, ' '), 1200);
}

/** What {@link codexFailureError} needs to know about the run. */
export interface FailureContext {
  exitCode: number;
  streamLogPath: string;
  /** Content of the last-message file (may be empty). */
  lastMessage: string;
  /** CODEX_ERROR_LOG_PATH: where the full stream log is copied. */
  errorLogPath: string;
  /** Extra structured details (thread id, turn.failed message). */
  details?: Pick<CodexChildErrorDetails['codex_failed'], 'turnFailed' | 'threadId'>;
}

const fileSize = (file: string): Promise<number> => stat(file).then((info) => info.size, () => 0);

/** The codex-failure report (§12.1): exit code passed through, tail and preview on stderr. */
export async function codexFailureError(context: FailureContext): Promise<CodexChildError> {
  const { exitCode } = context;
  const base = `codex command failed (exit=${exitCode})`;
  const details = { codexExitCode: exitCode, ...context.details };
  if ((await fileSize(context.streamLogPath)) > 0) {
    // Errors ignored, as V661; a symlink at the copy's path is one of them (never written through).
    await copyFileNoFollow(context.streamLogPath, context.errorLogPath).catch(() => undefined);
    const text = await readTailText(context.streamLogPath, TAIL_READ_BYTES); // read once: tail and preview
    const tail = tailOf(text, 80);
    const preview = previewLines(tail.slice(-60), text.endsWith('\n'));
    return childError({
      reason: 'codex_failed',
      exitCode,
      diagnostics: [base, `codex stderr/stdout tail (full: ${context.errorLogPath}):`, ...tail],
      message: `${base}: ${preview}`,
      details: { ...details, errorLogPath: context.errorLogPath },
    });
  }
  if (context.lastMessage.length > 0) {
    const head = cutUtf8(context.lastMessage, 400).replace(/\n/g, ' ');
    return childError({ reason: 'codex_failed', exitCode, message: `${base}: ${head}`, details });
  }
  return childError({ reason: 'codex_failed', exitCode, message: base, details });
}

/**
 * The empty-output report (§12.2 row 13): exit 3, then the last 40 stream lines if any.
 * `diagnostics` are printed before it (agent-dock HEAD's fallback says why it found no block).
 */
export async function emptyOutputError(streamLogPath: string, details: CodexChildErrorDetails['empty_output'] = {}, diagnostics: readonly string[] = []): Promise<CodexChildError> {
  const tail = await readTailLines(streamLogPath, 40);
  return childError({
    reason: 'empty_output',
    diagnostics,
    message: 'codex returned empty output',
    trailer: tail.length > 0 ? ['last stream lines:', ...tail] : [],
    details,
  });
}
