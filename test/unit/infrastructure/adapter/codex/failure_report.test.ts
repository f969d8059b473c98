import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codexFailureError, cutUtf8, emptyOutputError, previewLines, readTailLines } from '../../../../../src/infrastructure/adapter/codex/failure_report.js';
import { stderrLinesOf } from '../../../../../src/cli/error_lines.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fail-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('codexFailureError (contract §12.1)', () => {
  it('with a stream log: copies it, prints the bare line, the tail header, the last 80 lines, then the preview', async () => {
    const log = path.join(dir, 'stream.log');
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    await writeFile(log, `${lines.join('\n')}\n`);
    const errorLog = path.join(dir, 'err.log');
    const error = await codexFailureError({ exitCode: 9, streamLogPath: log, lastMessage: '', errorLogPath: errorLog });
    expect(error.exitCode).toBe(9);
    expect(error.reason).toBe('codex_failed');
    expect(error.diagnostics.slice(0, 2)).toEqual(['codex command failed (exit=9)', `codex stderr/stdout tail (full: ${errorLog})`.replace(')', '):')]);
    expect(error.diagnostics.slice(2)).toEqual(lines.slice(20));
    // Preview: last 60 lines, newlines to spaces, not trimmed (ends with the final newline's space).
    expect(error.message).toBe(`codex command failed (exit=9): ${lines.slice(40).join(' ')} `);
    expect(await readFile(errorLog, 'utf8')).toBe(`${lines.join('\n')}\n`);
  });

  it('squeezes whitespace runs and cuts the preview at 1200 bytes on a character boundary', async () => {
    const log = path.join(dir, 'stream.log');
    await writeFile(log, `a \t  b\n${'é'.repeat(1000)}\n`);
    const error = await codexFailureError({ exitCode: 1, streamLogPath: log, lastMessage: '', errorLogPath: path.join(dir, 'e') });
    const preview = error.message.slice('codex command failed (exit=1): '.length);
    expect(preview.startsWith('a b éé')).toBe(true);
    expect(Buffer.byteLength(preview)).toBeLessThanOrEqual(1200);
    expect(Buffer.byteLength(preview)).toBe(1200 - ((1200 - 4) % 2)); // 4 ASCII bytes, then whole 2-byte chars
    expect(preview).not.toContain('\ufffd');
  });

  it('with an empty stream log but a result file: first 400 bytes, newlines as spaces (observed V661 text)', async () => {
    const error = await codexFailureError({
      exitCode: 5,
      streamLogPath: path.join(dir, 'missing.log'),
      lastMessage: 'RESULT: completed\nSUMMARY: did it\nCHANGED_FILES: a.ts, b.ts\nCHECKS: deno test',
      errorLogPath: path.join(dir, 'e'),
    });
    expect(stderrLinesOf(error)).toEqual(['codex command failed (exit=5): RESULT: completed SUMMARY: did it CHANGED_FILES: a.ts, b.ts CHECKS: deno test']);
  });

  it('with neither: the bare line only', async () => {
    const error = await codexFailureError({ exitCode: 127, streamLogPath: path.join(dir, 'none'), lastMessage: '', errorLogPath: path.join(dir, 'e') });
    expect(stderrLinesOf(error)).toEqual(['codex command failed (exit=127)']);
  });
});

describe('emptyOutputError', () => {
  it('prints the message, then the last 40 stream lines under a header', async () => {
    const log = path.join(dir, 'stream.log');
    await writeFile(log, Array.from({ length: 50 }, (_, i) => `l${i}`).join('\n'));
    const error = await emptyOutputError(log);
    expect(error.exitCode).toBe(3);
    expect(stderrLinesOf(error)[0]).toBe('codex returned empty output');
    expect(stderrLinesOf(error)[1]).toBe('last stream lines:');
    expect(stderrLinesOf(error).slice(2)).toEqual(Array.from({ length: 40 }, (_, i) => `l${i + 10}`));
  });

  it('prints only the message when the stream log is empty', async () => {
    expect(stderrLinesOf(await emptyOutputError(path.join(dir, 'none')))).toEqual(['codex returned empty output']);
  });
});

describe('helpers', () => {
  it('cutUtf8 never splits a character', () => {
    expect(cutUtf8('aé', 2)).toBe('a');
    expect(cutUtf8('a😀b', 4)).toBe('a');
    expect(cutUtf8('abc', 10)).toBe('abc');
  });
  it('previewLines keeps a leading space', () => {
    expect(previewLines([' x', 'y'], false)).toBe(' x y');
  });
  it('readTailLines of a missing file is empty', async () => {
    expect(await readTailLines(path.join(dir, 'nope'), 5)).toEqual([]);
  });
});
