/**
 * Fault suite: codex failures from the fake model, .env tampering during a run, and a command that
 * prints 50 MB — all with the real codex binary behind bin/codex-wrapper or the library.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RESULT_TEXT, scriptedTurn } from '../../src/devtools/fake_model_server.js';
import { runTeammatePayload } from '../../src/index.js';
import { processesWithEnv } from '../support/process_probe.js';
import { executePayload, runWrapper, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

let world: CodexWorld;
beforeAll(async () => {
  world = await startCodexWorld({}, { streamIdleTimeoutMs: 1500 });
});
afterAll(() => world.close());

function project(): string {
  const dir = path.join(world.home.root, 'projects', randomUUID());
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('codex failures pass the exit code through with a short summary naming the cause', () => {
  it.each([
    ['http_500', 'We’re currently experiencing high demand, which may cause temporary errors.'],
    ['http_429', 'exceeded retry limit, last status: 429 Too Many Requests'],
    ['http_401', 'unexpected status 401 Unauthorized:'],
    ['cut', 'stream disconnected before completion: stream closed before response.completed'],
    ['stall', 'stream disconnected before completion: idle timeout waiting for SSE'],
  ])('%s', async (scenario, cause) => {
    const run = await runWrapper(executePayload(scenario), { ...world.env, TARGET_PROJECT_DIR: project(), CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const last = run.stderr.trimEnd().split('\n').at(-1) ?? '';
    expect(last.startsWith('codex command failed (exit=1): ')).toBe(true);
    expect(last).toContain(`ERROR: ${cause}`);
    expect(Buffer.byteLength(last)).toBeLessThanOrEqual(1200 + 'codex command failed (exit=1): '.length);

    const outcome = await runTeammatePayload(executePayload(scenario), { env: { ...world.env, TARGET_PROJECT_DIR: project() }, display: 'ignore' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).toBe('codex_failed');
    expect(outcome.error.exitCode).toBe(1);
    if (outcome.error.reason !== 'codex_failed') return;
    expect(String(outcome.error.details.turnFailed)).toContain(cause);
  });
});

describe('.env tampering during a run → exit 4 with the right lists', () => {
  const cases: Array<[string, (outside: string) => string, string]> = [
    ['add', () => 'echo NEW=1 > .env.added', 'added=.env.added'],
    ['change', () => 'echo CHANGED=1 > .env', 'changed=.env'],
    ['delete', () => 'rm .env', 'removed=.env'],
    // Same bytes, but now a link to a file outside the project: still a change.
    ['symlink swap', (outside) => `cp .env ${outside} && rm .env && ln -s ${outside} .env`, 'changed=.env'],
  ];
  it.each(cases)('%s', async (name, command, expected) => {
    const dir = project();
    writeFileSync(path.join(dir, '.env'), 'SECRET=original\n');
    const outside = path.join(world.home.root, `outside-${randomUUID()}`);
    const scenario = `tamper_${name.replace(' ', '_')}`;
    world.server.registerScenario(scenario, scriptedTurn({ commands: [command(outside)], result: DEMO_RESULT_TEXT }));
    const run = await runWrapper(executePayload(scenario), { ...world.env, TARGET_PROJECT_DIR: dir, CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`deny rule violation: .env/.env.* files were modified by codex (${expected})\n`);
  });
});

describe('a command that prints 50 MB', () => {
  it('keeps memory bounded, keeps head and tail in the stream log, and still parses the result', async () => {
    const mark = randomUUID();
    const logDir = project();
    let peakKb = 0;
    const sampler = setInterval(() => {
      for (const pid of processesWithEnv('CODEX_CHILD_BIG_MARK', mark)) {
        try {
          const status = readFileSync(`/proc/${pid}/status`, 'utf8');
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
          if (cmd.includes('codex exec') || cmd.includes('/codex\0exec') || cmd.startsWith('yes') || cmd.startsWith('head')) continue;
          const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
          peakKb = Math.max(peakKb, kb);
        } catch {
          // gone
        }
      }
    }, 50);
    const outcome = await runTeammatePayload(executePayload('big_output:50'), {
      env: { ...world.env, TARGET_PROJECT_DIR: project(), CODEX_CHILD_BIG_MARK: mark },
      display: 'ignore',
      logDir,
    }).finally(() => clearInterval(sampler));
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');
    if (!outcome.ok) return;
    expect(outcome.value.result.valid).toBe(true);
    expect(outcome.value.output).toContain('SUMMARY: printed 50 MiB');
    // The wrapper's own processes (bash, tee, awk) stay small; codex itself is not ours to bound.
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(150 * 1024);
    const stream = readFileSync(path.join(logDir, 'stream.log'), 'utf8');
    expect(statSync(path.join(logDir, 'stream.log')).size).toBeLessThan(8 * 1024 * 1024);
    expect(stream).toMatch(/^x{99}$/m); // head
    expect(stream).toMatch(/bytes omitted/); // codex's own cut in the middle
    expect(stream).toContain('tokens used'); // the tail made it through
  });
});
