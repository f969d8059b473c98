/**
 * tool_result: structured results carried both ways, one-line refusals, the head cap of
 * error_summary and the log-tail fallback summary (stderr first, then stdout, links ignored).
 */
import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capHead, ERROR_SUMMARY_MAX, logTailSummary, oneLine, refusal, structuredResult, textResult } from '../../../src/mcp/tool_result.js';

let root: string;
const file = (name: string, data: string) => {
  const p = path.join(root, name);
  writeFileSync(p, data);
  return p;
};
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tool-result-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('result shapes', () => {
  it('structuredResult carries the value as structuredContent and as compact JSON text', () => {
    const value = { status: 'failed', n: 1, nested: { a: [1, 2] } };
    expect(structuredResult(value, true)).toEqual({ content: [{ type: 'text', text: '{"status":"failed","n":1,"nested":{"a":[1,2]}}' }], structuredContent: value, isError: true });
    expect(structuredResult(value, false).isError).toBe(false);
  });

  it('refusal is one line with isError and no structured content', () => {
    const result = refusal('  variant_dir\n  is outside\tthe runs root \r\n');
    expect(result).toEqual({ content: [{ type: 'text', text: 'variant_dir is outside the runs root' }], isError: true });
    expect(result).not.toHaveProperty('structuredContent');
  });

  it('textResult is a plain success text, kept as it is', () => {
    expect(textResult('a\n  b\n')).toEqual({ content: [{ type: 'text', text: 'a\n  b\n' }], isError: false });
  });
});

describe('oneLine / capHead', () => {
  it('oneLine collapses every whitespace run and trims', () => {
    expect(oneLine('\n a \t\t b\r\n\nc  ')).toBe('a b c');
    expect(oneLine('   ')).toBe('');
  });

  it('capHead keeps the head and marks the cut with …, counting code points', () => {
    expect(capHead('abc', 3)).toBe('abc');
    expect(capHead('abcd', 3)).toBe('ab…');
    expect(capHead('😀😀😀😀', 3)).toBe('😀😀…'); // surrogate pairs are never split
    const long = 'x'.repeat(ERROR_SUMMARY_MAX + 50);
    expect(Array.from(capHead(long))).toHaveLength(ERROR_SUMMARY_MAX);
    expect(ERROR_SUMMARY_MAX).toBe(1200);
  });
});

describe('logTailSummary', () => {
  it('is the trimmed tail of stderr when it has text', async () => {
    const err = file('e1.txt', '\nerror: the model refused\n\n');
    const out = file('o1.txt', '{"type":"turn.failed"}\n');
    expect(await logTailSummary(err, out)).toBe('error: the model refused');
  });

  it('falls back to stdout when stderr is empty or blank, and is empty when both are', async () => {
    const blank = file('e2.txt', '  \n\t\n');
    const out = file('o2.txt', 'stdout tail\n');
    expect(await logTailSummary(blank, out)).toBe('stdout tail');
    expect(await logTailSummary(path.join(root, 'missing-e'), out)).toBe('stdout tail');
    expect(await logTailSummary(blank, file('o3.txt', ''))).toBe('');
  });

  it('keeps only the last ERROR_SUMMARY_MAX code points of a huge log', async () => {
    const err = file('e4.txt', `${'HEAD '.repeat(100_000)}${'€'.repeat(ERROR_SUMMARY_MAX)}`);
    const summary = await logTailSummary(err, path.join(root, 'none'));
    expect(summary).toBe('€'.repeat(ERROR_SUMMARY_MAX));
  });

  it('never reads through a symlink planted under a log name', async () => {
    const secret = file('secret.txt', 'SECRET CONTENT');
    const link = path.join(root, 'codex_stderr.txt');
    symlinkSync(secret, link);
    const out = path.join(root, 'codex_stdout.txt');
    symlinkSync(secret, out);
    expect(await logTailSummary(link, out)).toBe('');
  });
});
