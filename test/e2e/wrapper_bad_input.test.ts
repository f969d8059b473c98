/**
 * Bad input to bin/codex-wrapper: one clear line on stderr, the documented exit code, never a stack
 * trace, and codex never started.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWrapper } from '../support/wrapper_harness.js';

let dir: string;
let env: Record<string, string>;
let marker: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wrapper-bad-'));
  marker = path.join(dir, 'codex-was-run');
  // A stand-in codex that records being run: none of these inputs may reach it.
  const fakeCodex = path.join(dir, 'codex');
  writeFileSync(fakeCodex, `#!/bin/sh\ntouch '${marker}'\nexit 0\n`);
  chmodSync(fakeCodex, 0o755);
  writeFileSync(path.join(dir, 'not-executable'), '#!/bin/sh\n');
  env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: dir, CODEX_BIN: fakeCodex, TARGET_PROJECT_DIR: dir };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectOneLine(stderr: string, line: string | RegExp): void {
  expect(stderr.endsWith('\n')).toBe(true);
  const lines = stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

const cases: Array<[string, string | Buffer, number, string | RegExp, Record<string, string>?]> = [
  ['empty stdin', '', 2, 'empty stdin payload'],
  ['spaces only', '   ', 2, 'empty stdin payload'],
  ['newlines only', '\n\n', 2, 'empty stdin payload'],
  ['spaces around a newline (V661 rule)', '  \n  ', 2, 'invalid input payload: Expecting value: line 2 column 3 (char 5)'],
  ['a tab', '\t', 2, 'invalid input payload: Expecting value: line 1 column 2 (char 1)'],
  ['invalid JSON', '{"mode": plan}', 2, 'invalid input payload: Expecting value: line 1 column 10 (char 9)'],
  ['a UTF-8 BOM', '\ufeff{}', 2, 'invalid input payload: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)'],
  ['a JSON array root', '[1,2]', 2, 'invalid input payload: root must be JSON object'],
  ['a JSON string root', '"plan"', 2, 'invalid input payload: root must be JSON object'],
  ['a non-object task', '{"mode":"plan","task":"abc"}', 2, 'invalid input payload: task must be JSON object'],
  ['an unknown mode', '{"mode":"Plan"}', 2, 'unknown mode: Plan'],
  ['a missing mode', '{}', 2, 'unknown mode: None'],
  ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 2, 'invalid input payload: payload is not valid UTF-8'],
  [
    'a .env reference (wins over an unknown mode)',
    '{"mode":"nope","task":{"id":"T9","description":"please edit .env.local"}}',
    3,
    'deny rule violation: .env/.env.* references are forbidden in task payload (task_id=T9; description:please edit .env.local)',
  ],
];

describe('bad input', () => {
  it.each(cases)('%s → exit %#', async (_name, input, code, message, extraEnv) => {
    const run = await runWrapper(input, { ...env, ...extraEnv });
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    expectOneLine(run.stderr, message);
  });

  it('a missing codex binary → exit 1 before stdin matters', async () => {
    const run = await runWrapper('{"mode":"plan"}', { ...env, CODEX_BIN: path.join(dir, 'missing') });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, 'codex command not found');
  });

  it('a non-executable codex binary → exit 1', async () => {
    const run = await runWrapper('{"mode":"plan"}', { ...env, CODEX_BIN: path.join(dir, 'not-executable') });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, 'codex command not found');
  });

  it('a bare CODEX_BIN name that is not on PATH → exit 1', async () => {
    const run = await runWrapper('{"mode":"plan"}', { ...env, CODEX_BIN: 'definitely-not-codex-xyz' });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, 'codex command not found');
  });

  it('a TARGET_PROJECT_DIR that does not exist → exit 1', async () => {
    const run = await runWrapper('{"mode":"plan"}', { ...env, TARGET_PROJECT_DIR: path.join(dir, 'nope') });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, `target project dir not found: ${path.join(dir, 'nope')}`);
  });

  it('a payload over the 64 MiB cap → exit 2, without holding it all', async () => {
    const big = Buffer.alloc(64 * 1024 * 1024 + 10, 0x61);
    const run = await runWrapper(big, env, { timeoutMs: 30_000 });
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, 'invalid input payload: payload larger than 67108864 bytes');
  });

  it('never started codex for any of the above', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync(marker)).toBe(false);
  });
});
