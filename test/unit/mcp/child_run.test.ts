/** Mapping of adapter outcomes to the run facts both tools report. */
import { describe, expect, it } from 'vitest';
import { childError, type CodexChildErrorInit, type CodexChildErrorReason } from '../../../src/domain/errors.js';
import type { CodexRunFacts, CodexRunOutcome } from '../../../src/infrastructure/adapter/codex/codex_adapter.js';
import { executorSettingsEnv, executorSettingsFromEnv } from '../../../src/infrastructure/adapter/codex/executor_settings.js';
import { childRunSettings, describeOutcome, failureSummary, type ChildRunReport } from '../../../src/mcp/child_run.js';
import type { ServerConfig } from '../../../src/mcp/config.js';

const facts: CodexRunFacts = {
  threadId: 't-1',
  usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 2, reasoning_output_tokens: 0 },
  commands: [],
  fileChanges: [],
  turnFailed: null,
  durationMs: 5,
  logs: null,
};
const fail = (reason: CodexChildErrorReason, extra: Partial<CodexRunFacts> | null = {}, details: Record<string, unknown> = {}): CodexRunOutcome => ({
  ok: false,
  // Any reason with any details: a loose init on purpose, to drive every branch of describeOutcome.
  error: childError({ reason, exitCode: 9, message: `${reason} happened`, details } as CodexChildErrorInit),
  facts: extra === null ? null : { ...facts, ...extra },
});

describe('describeOutcome', () => {
  it('success', () => {
    const outcome = { ok: true, value: { ...facts, output: 'x' } } as unknown as CodexRunOutcome;
    expect(describeOutcome(outcome)).toMatchObject({ exitCode: 0, codexExitedZero: true, fatal: null, threadId: 't-1', timedOut: false, cancelled: false });
  });

  it('timeout and cancellation: no exit code, flagged', () => {
    expect(describeOutcome(fail('timed_out'))).toMatchObject({ timedOut: true, cancelled: false, exitCode: null, codexExitedZero: false, threadId: 't-1' });
    expect(describeOutcome(fail('cancelled'))).toMatchObject({ timedOut: false, cancelled: true, exitCode: null });
    expect(describeOutcome(fail('interrupted'))).toMatchObject({ cancelled: true, exitCode: null });
  });

  it('carries what the teardown actually did (the containment the adapter reports)', () => {
    expect(describeOutcome(fail('timed_out', {}, { containment: 'tracking' })).teardown).toMatch(/run marker were killed \(process tracking/);
    expect(describeOutcome(fail('cancelled', {}, { containment: 'pidns' })).teardown).toMatch(/PID namespace was ended/);
    expect(describeOutcome(fail('timed_out')).teardown).toBeUndefined();
  });

  it("codex failure keeps codex's exit code and the turn.failed message", () => {
    expect(describeOutcome(fail('codex_failed', { turnFailed: 'boom' }, { codexExitCode: 1 }))).toMatchObject({ exitCode: 1, codexExitedZero: false, turnFailed: 'boom', fatal: 'codex_failed happened' });
  });

  it('empty output is not fatal (the caller decides); pre-launch failures have no exit code', () => {
    expect(describeOutcome(fail('empty_output'))).toMatchObject({ exitCode: 0, codexExitedZero: true, fatal: null, note: 'codex wrote no final message' });
    expect(describeOutcome(fail('auth_missing', null))).toMatchObject({ exitCode: null, codexExitedZero: false, fatal: 'auth_missing happened', threadId: null });
    expect(describeOutcome(fail('dotenv_modified'))).toMatchObject({ exitCode: 0, codexExitedZero: true, fatal: 'dotenv_modified happened' });
  });
});

describe('failureSummary', () => {
  const report = (over: Partial<ChildRunReport>): ChildRunReport => ({
    started: true,
    queueMs: 0,
    elapsedMs: 0,
    timedOut: false,
    cancelled: false,
    shutdown: false,
    exitCode: 1,
    codexExitedZero: false,
    fatal: 'codex command failed (exit=1)',
    note: null,
    turnFailed: null,
    threadId: null,
    usage: null,
    reason: 'codex_failed',
    ...over,
  });

  it('puts the most specific cause first', () => {
    expect(failureSummary(report({ timedOut: true }), 900)).toBe("timed out after 900 s; codex's process group was killed");
    expect(failureSummary(report({ cancelled: true }), 1)).toBe("cancelled by the client; codex's process group was killed");
    // the teardown actually done, when the adapter reported it
    const pidns = "codex's PID namespace was ended, which kills every process of the run";
    expect(failureSummary(report({ timedOut: true, teardown: pidns }), 900)).toBe(`timed out after 900 s; ${pidns}`);
    expect(failureSummary(report({ cancelled: true, teardown: pidns }), 1)).toBe(`cancelled by the client; ${pidns}`);
    expect(failureSummary(report({ cancelled: true, started: false }), 1)).toBe('cancelled by the client while queued; codex never started');
    expect(failureSummary(report({ cancelled: true, shutdown: true }), 1)).toMatch(/shutting down/);
    expect(failureSummary(report({ turnFailed: 'stream disconnected' }), 1)).toBe('codex turn failed: stream disconnected');
    expect(failureSummary(report({}), 1)).toBe('codex command failed (exit=1)');
    expect(failureSummary(report({ fatal: null, codexExitedZero: true }), 1)).toBe('');
  });
});

describe('childRunSettings', () => {
  it('gives the run typed codex settings and its env-only settings on top of the server env', () => {
    const config = { env: { PATH: '/bin', CODEX_FULL_AUTO: '1', CODEX_STREAM_LOGS: '1', TARGET_PROJECT_DIR: '/elsewhere' } } as unknown as ServerConfig;
    expect(childRunSettings(config, { workdir: '/w', sandbox: 'read-only', model: 'm', runDir: '/r' })).toEqual({
      env: {
        PATH: '/bin',
        CODEX_FULL_AUTO: '1', // the typed sandbox wins over it (executor_settings.ts)
        TARGET_PROJECT_DIR: '/w',
        CODEX_STREAM_LOGS: '0',
        CODEX_ERROR_LOG_PATH: '/r/codex_error.log',
        CODEX_PROMPT_LOG_PATH: '/r/.tmp/codex_prompt.txt',
      },
      sandbox: 'read-only',
      skipGitRepoCheck: true,
      model: 'm',
    });
  });

  it('leaves the model to codex when the call names none, and the executor then runs with the typed sandbox', () => {
    const config = { env: { CODEX_FULL_AUTO: '1', CODEX_SANDBOX: 'danger-full-access', CODEX_MODEL: 'from-env' } } as unknown as ServerConfig;
    const settings = childRunSettings(config, { workdir: '/w', sandbox: 'read-only', model: undefined, runDir: '/r' });
    expect('model' in settings).toBe(false);
    const env = { ...settings.env, ...executorSettingsEnv(settings, settings.env ?? {}) };
    expect(executorSettingsFromEnv(env)).toMatchObject({ sandbox: 'read-only', skipGitRepoCheck: true, model: 'from-env' });
  });
});
