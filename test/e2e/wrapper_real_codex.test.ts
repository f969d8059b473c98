/**
 * bin/codex-wrapper end to end: the REAL codex binary against the loopback fake model, hermetic
 * (fresh HOME, CODEX_HOME, TMPDIR; analytics and plugins off; retries 0; stdin closed).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMMAND, DEMO_RESULT_TEXT, scriptedTurn } from '../../src/devtools/fake_model_server.js';
import { executePayload, runWrapper, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

let world: CodexWorld;

beforeAll(async () => {
  world = await startCodexWorld();
  world.server.registerScenario('touch_env', scriptedTurn({ commands: ['echo SECRET=1 > .env.new'], result: DEMO_RESULT_TEXT }));
  world.server.registerScenario('plan_text', scriptedTurn({ commands: [], result: '1) Acceptance criteria\n2) Implementation steps\n3) Files to edit\n4) Local checks' }));
  world.server.registerScenario(
    'result_with_claims',
    scriptedTurn({ commands: ['echo hi > made.txt'], result: 'RESULT: completed\nSUMMARY: s\nCHANGED_FILES: made.txt, ghost.txt\nCHECKS: none' }),
  );
});
afterAll(() => world.close());

const leftovers = () => readdirSync(world.home.tmpDir).filter((name) => name.startsWith('codex-child-'));

describe('a successful execute turn', () => {
  for (const view of ['all', 'all_compact', 'assistant', 'thinking'] as const) {
    it(`view ${view}: terminates, prints only the result on stdout, shows what the contract says`, async () => {
      const run = await runWrapper(executePayload('demo'), { ...world.env, CODEX_STREAM_VIEW: view, CODEX_STREAM_EXEC_MAX_CHARS: '20' });
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(DEMO_RESULT_TEXT); // verbatim, no newline added
      expect(readFileSync(path.join(world.home.workDir, 'a.txt'), 'utf8')).toBe('hello from codex\n');
      const lines = run.stderr.split('\n');
      expect(lines).toContain('thinking');
      expect(lines).toContain('codex');
      expect(lines).toContain('tokens used');
      expect(lines).toContain('2,068');
      expect(run.stderr).toContain('RESULT: completed');
      // all and all_compact end as V661's merged stream did: the result lines last (issue 10)
      expect(run.stderr.endsWith(view === 'all' || view === 'all_compact' ? `tokens used\n2,068\n${DEMO_RESULT_TEXT}\n` : 'tokens used\n2,068\n')).toBe(true);
      if (view === 'thinking') {
        expect(lines).not.toContain('user');
        expect(run.stderr).not.toContain('Execute the task below.');
      } else {
        expect(lines).toContain('user');
        expect(run.stderr).toContain('Execute the task below.');
      }
      if (view === 'assistant' || view === 'thinking') {
        expect(lines).not.toContain('exec');
        expect(run.stderr).not.toContain('hello from codex');
      } else {
        expect(lines).toContain('exec');
        expect(run.stderr).toContain('hello from codex');
      }
      if (view === 'all') expect(run.stderr).toContain(`/bin/bash -c "${DEMO_COMMAND.replace('\\n', '\\\\n')}"`);
      if (view === 'all_compact') {
        expect(run.stderr).not.toContain('> a.txt && cat a.txt');
        expect(lines.some((line) => line.endsWith('...') && [...line].length === 23)).toBe(true);
      }
      expect(leftovers()).toEqual([]);
    });
  }

  it('CODEX_STREAM_LOGS=0 keeps stderr silent', async () => {
    const run = await runWrapper(executePayload('demo'), { ...world.env, CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(DEMO_RESULT_TEXT);
  });

  it('sends the byte-exact execute prompt to the model', async () => {
    const before = world.server.requests.length;
    const payload = executePayload('demo');
    const run = await runWrapper(payload, { ...world.env, CODEX_WRAPPER_DEBUG: '1', CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(0);
    const prompt = readFileSync(world.env.CODEX_PROMPT_LOG_PATH as string, 'utf8');
    expect(prompt.startsWith('You are implementation teammate tm-e2e.\nExecute the task below.\n\ntask_id: T-1\n')).toBe(true);
    const request = world.server.requests.slice(before).find((r) => r.endpoint === 'responses');
    expect(JSON.stringify(request?.body)).toContain(JSON.stringify(prompt).slice(1, -1));
    expect(run.stderr).toMatch(/^\[codex_wrapper\] prompt_chars=\d+ prompt_log=/m);
    expect(run.stderr).toMatch(/^\[codex_wrapper\] cmd=.* exec --json -C /m);
  });

  it('passes plan-mode output through verbatim', async () => {
    const payload = JSON.stringify({ mode: 'plan', teammate_id: 'tm', task: { title: 'x [[scenario:plan_text]]' } });
    const run = await runWrapper(payload, { ...world.env, CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('1) Acceptance criteria\n2) Implementation steps\n3) Files to edit\n4) Local checks');
  });

  it('accepts an 8 MiB payload (V661 failed at ~128 KiB with exit 126)', async () => {
    const payload = executePayload('demo', { plan_text: 'x'.repeat(8 * 1024 * 1024) });
    expect(Buffer.byteLength(payload)).toBeGreaterThan(8 * 1024 * 1024);
    const run = await runWrapper(payload, { ...world.env, CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(DEMO_RESULT_TEXT);
  });
});

describe('failures', () => {
  it('no final message → exit 3 and the placeholder lines of the prompt are never a result', async () => {
    const run = await runWrapper(executePayload('no_message'), world.env);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('\ncodex returned empty output\nlast stream lines:\n');
  });

  it('codex failing (HTTP 500) → codex exit code, tail and one-line preview naming the cause', async () => {
    const run = await runWrapper(executePayload('http_500'), { ...world.env, CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('codex command failed (exit=1)');
    expect(lines[1]).toBe(`codex stderr/stdout tail (full: ${world.env.CODEX_ERROR_LOG_PATH}):`);
    expect(lines.at(-1)).toMatch(/^codex command failed \(exit=1\): .*ERROR: We’re currently experiencing high demand/);
    expect(readFileSync(world.env.CODEX_ERROR_LOG_PATH as string, 'utf8')).toContain('high demand');
  });

  it('codex modifying .env* files → exit 4 with the lists', async () => {
    const run = await runWrapper(executePayload('touch_env'), { ...world.env, CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(4);
    expect(run.stderr.trim()).toBe('deny rule violation: .env/.env.* files were modified by codex (added=.env.new)');
    expect(existsSync(path.join(world.home.workDir, '.env.new'))).toBe(true);
  });

  it('CODEX_DENY_DOTENV=0 skips the snapshot', async () => {
    writeFileSync(path.join(world.home.workDir, '.env.new'), 'old');
    const run = await runWrapper(executePayload('touch_env'), { ...world.env, CODEX_STREAM_LOGS: '0', CODEX_DENY_DOTENV: '0' });
    expect(run.code).toBe(0);
  });
});
