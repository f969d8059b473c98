import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fallbackResultText, parseResultBlock, verifyChangedFiles } from '../../../../../src/infrastructure/adapter/codex/result_parser.js';

const PLACEHOLDER_BLOCK = 'RESULT: completed|blocked\nSUMMARY: <=100 chars\nCHANGED_FILES: comma-separated\nCHECKS: executed check commands';

describe('fallbackResultText (contract §10.3)', () => {
  it('rebuilds the block from agent messages without a trailing newline', () => {
    const text = fallbackResultText(['Working on it.', 'RESULT: completed\nSUMMARY: did it\nCHANGED_FILES: a.ts, b.ts\nCHECKS: npm test']);
    expect(text).toBe('RESULT: completed\nSUMMARY: did it\nCHANGED_FILES: a.ts, b.ts\nCHECKS: npm test');
  });

  it('takes each key from the newest line, so keys may come from different blocks', () => {
    const old = 'RESULT: blocked\nSUMMARY: old summary\nCHANGED_FILES: old.ts\nCHECKS: old check';
    const newer = 'RESULT: completed\nSUMMARY: new summary';
    expect(fallbackResultText([old, newer])).toBe('RESULT: completed\nSUMMARY: new summary\nCHANGED_FILES: old.ts\nCHECKS: old check');
  });

  it('never returns the prompt placeholder lines (deviation §13 d)', () => {
    expect(fallbackResultText([PLACEHOLDER_BLOCK])).toBeNull();
    // A placeholder line is skipped as if absent, so an older real value still counts.
    const real = 'RESULT: blocked\nSUMMARY: s\nCHANGED_FILES: x\nCHECKS: y';
    expect(fallbackResultText([real, PLACEHOLDER_BLOCK])).toBe(real);
  });

  it('is case-sensitive, needs a non-empty value and strips Python whitespace', () => {
    expect(fallbackResultText(['result: completed\nSUMMARY: s\nCHANGED_FILES: x\nCHECKS: y'])).toBeNull();
    expect(fallbackResultText(['RESULT:\nSUMMARY: s\nCHANGED_FILES: x\nCHECKS: y'])).toBeNull();
    expect(fallbackResultText(['  RESULT:\u3000 completed \u00a0\r\nSUMMARY:s\nCHANGED_FILES: x\nCHECKS: y'])).toBe(
      'RESULT: completed\nSUMMARY: s\nCHANGED_FILES: x\nCHECKS: y',
    );
  });

  it('splits lines the Python way (\\r, \\v, U+2028 …)', () => {
    expect(fallbackResultText(['RESULT: completed\rSUMMARY: s\u2028CHANGED_FILES: x\x0bCHECKS: y'])).toBe(
      'RESULT: completed\nSUMMARY: s\nCHANGED_FILES: x\nCHECKS: y',
    );
  });

  it('returns null when a key is missing', () => {
    expect(fallbackResultText(['RESULT: completed\nSUMMARY: s\nCHECKS: y'])).toBeNull();
    expect(fallbackResultText([])).toBeNull();
  });
});

describe('parseResultBlock', () => {
  it('parses and normalises a valid block', () => {
    const parsed = parseResultBlock('RESULT: completed\nSUMMARY:  made it work \nCHANGED_FILES: a.ts,  b.ts , ,a.ts\nCHECKS:   npm test  ');
    expect(parsed).toEqual({
      valid: true,
      issues: [],
      block: { status: 'completed', summary: 'made it work', changedFiles: ['a.ts', 'b.ts'], checks: 'npm test' },
    });
  });

  it('reads the block that starts at the last RESULT line, keys case-insensitive', () => {
    const parsed = parseResultBlock('result: blocked\nsummary: first\nRESULT: Blocked\nSummary: second\nchanged_files: (none)\nChecks: -');
    expect(parsed.valid).toBe(true);
    expect(parsed.block).toEqual({ status: 'blocked', summary: 'second', changedFiles: [], checks: '-' });
  });

  it('cuts SUMMARY to 100 code points and says so', () => {
    const summary = '😀'.repeat(120);
    const parsed = parseResultBlock(`RESULT: completed\nSUMMARY: ${summary}\nCHANGED_FILES: none\nCHECKS: x`);
    expect(parsed.valid).toBe(true);
    expect([...(parsed.block?.summary ?? '')]).toHaveLength(100);
    expect(parsed.issues).toEqual(['SUMMARY cut from 120 to 100 chars']);
  });

  it('rejects a RESULT other than completed/blocked', () => {
    const parsed = parseResultBlock('RESULT: done\nSUMMARY: s\nCHANGED_FILES: a\nCHECKS: c');
    expect(parsed.valid).toBe(false);
    expect(parsed.issues).toEqual(['RESULT must be completed or blocked, got "done"']);
  });

  it('rejects the prompt placeholder block', () => {
    const parsed = parseResultBlock(PLACEHOLDER_BLOCK);
    expect(parsed.valid).toBe(false);
    expect(parsed.issues).toHaveLength(4);
    expect(parsed.issues[0]).toContain('placeholder');
  });

  it('rejects missing keys and text without a block', () => {
    expect(parseResultBlock('RESULT: completed\nSUMMARY: s').issues).toEqual(['missing CHANGED_FILES line', 'missing CHECKS line']);
    expect(parseResultBlock('1) Acceptance criteria\n2) Steps')).toEqual({ valid: false, block: null, issues: ['no RESULT line'] });
  });
});

describe('verifyChangedFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'verify-'));
    await writeFile(path.join(dir, 'fresh.ts'), 'x');
    await writeFile(path.join(dir, 'stale.ts'), 'x');
    const old = new Date(Date.now() - 3600_000);
    await utimes(path.join(dir, 'stale.ts'), old, old);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('warns only for entries that neither an event nor a modification backs', async () => {
    const started = Date.now() - 10_000;
    const warnings = await verifyChangedFiles(
      ['fresh.ts', 'stale.ts', 'patched.ts', 'ghost.ts'],
      [{ path: path.join(dir, 'patched.ts'), kind: 'update' }],
      dir,
      started,
    );
    expect(warnings).toEqual([
      'CHANGED_FILES lists "stale.ts", but no file_change event reports it and it was not modified during the run',
      'CHANGED_FILES lists "ghost.ts", but no file_change event reports it and it does not exist',
    ]);
  });
});
