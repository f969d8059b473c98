/**
 * Fuzzed payloads: whatever arrives on stdin, the wrapper never crashes and never prints a stack
 * trace; it exits 0, 2 or 3 with at most a one-line message. 2,000+ cases through the library
 * (the same code the CLI runs), a sample through bin/codex-wrapper itself. codex is the recording
 * fake (test/support/fake_codex.sh) so that valid payloads run the whole pipeline quickly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTeammatePayload } from '../../src/index.js';
import { REPO_ROOT, runWrapper } from '../support/wrapper_harness.js';
import { FIXTURES_DIR } from '../support/fixtures.js';

const FIXTURES = FIXTURES_DIR;
let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    TMPDIR: dir,
    TARGET_PROJECT_DIR: dir,
    CODEX_BIN: path.join(REPO_ROOT, 'test/support/fake_codex.sh'),
    FAKE_CODEX_JSONL: path.join(FIXTURES, 'events.jsonl'),
    FAKE_CODEX_LAST_MESSAGE: 'RESULT: completed\nSUMMARY: s\nCHANGED_FILES: a\nCHECKS: c',
    CODEX_STREAM_LOGS: '0',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('.env', 'see .env.local', '(.ENV)', 'a/.envrc', 'process.env.X', '\ud800', ''));
const jsonish = fc.oneof(fc.jsonValue(), text, fc.array(text), fc.constant(null));
const task = fc.oneof(
  fc.record(
    {
      id: jsonish,
      title: text,
      description: text,
      target_paths: fc.oneof(fc.array(text), jsonish),
      depends_on: fc.oneof(fc.array(text), jsonish),
      requires_plan: jsonish,
      progress_log: fc.oneof(fc.array(fc.record({ timestamp: fc.oneof(fc.double(), fc.integer(), fc.boolean(), text), source: jsonish, text: jsonish })), jsonish),
    },
    { requiredKeys: [] },
  ),
  jsonish,
);
const payloadObject = fc.record({ mode: fc.oneof(fc.constantFrom('plan', 'execute', 'Plan', ' execute', ''), jsonish), teammate_id: jsonish, task }, { requiredKeys: [] });
const stdinBytes = fc.oneof(
  { weight: 4, arbitrary: payloadObject.map((p) => Buffer.from(JSON.stringify(p))) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }).map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: payloadObject.map((p) => Buffer.from(JSON.stringify(p).replace(/.$/, ''))) }, // truncated JSON
);

describe('fuzzed payloads', () => {
  it('library: 2,000 cases, never a throw, exit 0/2/3, one-line messages', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(stdinBytes, async (bytes) => {
        const outcome = await runTeammatePayload(bytes, { env, display: 'ignore' });
        const code = outcome.ok ? 0 : outcome.error.exitCode;
        seen.set(code, (seen.get(code) ?? 0) + 1);
        expect([0, 2, 3]).toContain(code);
        if (!outcome.ok) {
          expect(outcome.error.message).not.toMatch(/[\r\n]/);
          expect(outcome.error.message).not.toMatch(/\bat .*\.(js|ts):\d+/);
          expect(outcome.error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
    // The generators must reach every branch, or the property proves little.
    expect(seen.get(0) ?? 0).toBeGreaterThan(50);
    expect(seen.get(2) ?? 0).toBeGreaterThan(50);
    expect(seen.get(3) ?? 0).toBeGreaterThan(5);
  }, 240_000);

  it('bin/codex-wrapper: a sample of 40, stderr one line or empty, no stack trace', async () => {
    const samples = fc.sample(stdinBytes, { numRuns: 40, seed: 42 });
    for (const bytes of samples) {
      const run = await runWrapper(bytes, env);
      expect([0, 2, 3]).toContain(run.code);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      if (run.code !== 0) expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      else expect(run.stdout).toBe('RESULT: completed\nSUMMARY: s\nCHANGED_FILES: a\nCHECKS: c');
    }
  }, 120_000);
});
