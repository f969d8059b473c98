/** The one error model: exit codes from one table, details typed per reason, the Result shape. */
import { REPO_ROOT } from '../../support/wrapper_harness.js';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { stderrLinesOf } from '../../../src/cli/error_lines.js';
import { childError, CodexChildError, EXIT, REASON_EXIT, type CodexChildErrorReason } from '../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import { runCodexPrompt } from '../../../src/infrastructure/adapter/codex/codex_adapter.js';

const FIXED = Object.keys(REASON_EXIT) as (keyof typeof REASON_EXIT)[];

describe('REASON_EXIT', () => {
  it.each(FIXED)('%s takes its exit code from the table', (reason) => {
    const error = childError({ reason, message: 'm' } as Parameters<typeof childError>[0]);
    expect(error.exitCode).toBe(REASON_EXIT[reason]);
    expect(Object.values(EXIT)).toContain(error.exitCode);
  });

  it('maps the V661 codes: bad input 2, denial 3, .env modified 4, preflight 1', () => {
    expect([REASON_EXIT.invalid_json, REASON_EXIT.unknown_mode, REASON_EXIT.invalid_option]).toEqual([2, 2, 2]);
    expect([REASON_EXIT.dotenv_reference, REASON_EXIT.empty_output, REASON_EXIT.dotenv_modified]).toEqual([3, 3, 4]);
    expect([REASON_EXIT.codex_not_found, REASON_EXIT.project_dir_not_found, REASON_EXIT.snapshot_failed]).toEqual([1, 1, 1]);
    expect([REASON_EXIT.timed_out, REASON_EXIT.executor_not_started, REASON_EXIT.cancelled]).toEqual([124, 127, 130]);
  });

  it('codex_failed and interrupted keep the exit code they are given', () => {
    expect(childError({ reason: 'codex_failed', exitCode: 7, message: 'm', details: { codexExitCode: 7 } }).exitCode).toBe(7);
    expect(childError({ reason: 'interrupted', exitCode: 143, message: 'm', details: { signal: 'SIGTERM' } }).exitCode).toBe(143);
  });
});

describe('CodexChildError', () => {
  it('is an Error named CodexChildError, its message always one line', () => {
    const error = childError({ reason: 'unknown_mode', message: 'unknown mode: a\nb\r\nc' });
    expect(error).toBeInstanceOf(CodexChildError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CodexChildError');
    expect(error.message).toBe('unknown mode: a\\nb\\r\\nc');
    expect(error.details).toEqual({});
  });

  it('narrows details on reason', () => {
    const error = childError({ reason: 'dotenv_modified', message: 'm', details: { added: ['.env'], removed: [], changed: [] } }) as CodexChildError;
    if (error.reason === 'dotenv_modified') {
      expectTypeOf(error.details.added).toEqualTypeOf<readonly string[]>();
      expect(error.details.added).toEqual(['.env']);
    } else {
      expect.unreachable();
    }
    expectTypeOf<CodexChildError<'codex_failed'>['details']['codexExitCode']>().toEqualTypeOf<number>();
    // Reason flags are gone: a front door switches on `reason`.
    expect('timedOut' in error || 'isCanceled' in error || 'isBadInput' in error || 'stderrLines' in error).toBe(false);
  });

  it('the CLI prints diagnostics, then the message, then the trailer', () => {
    const error = childError({ reason: 'empty_output', message: 'codex returned empty output', diagnostics: ['d'], trailer: ['last stream lines:', 'x'] });
    expect(stderrLinesOf(error)).toEqual(['d', 'codex returned empty output', 'last stream lines:', 'x']);
  });
});

describe('Result', () => {
  it('is one shape for a value and an error', () => {
    const good: Result<number> = ok(1);
    const bad: Result<number, string> = err('no');
    expect(good).toEqual({ ok: true, value: 1 });
    expect(bad).toEqual({ ok: false, error: 'no' });
    expectTypeOf<Extract<Result<number>, { ok: false }>['error']['reason']>().toEqualTypeOf<CodexChildErrorReason>();
  });
});

describe('project_dir_not_found', () => {
  it('a missing TARGET_PROJECT_DIR is its own reason with exit 1 and the V661 message', async () => {
    const missing = path.join(REPO_ROOT, 'no-such-project-dir');
    const outcome = await runCodexPrompt('hi', {
      env: { PATH: process.env.PATH, CODEX_BIN: path.join(REPO_ROOT, 'test/support/fake_codex.sh'), TARGET_PROJECT_DIR: missing },
      display: 'ignore',
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect([outcome.error.reason, outcome.error.exitCode, outcome.error.message]).toEqual(['project_dir_not_found', 1, `target project dir not found: ${missing}`]);
    expect(outcome.error.details).toEqual({ projectDir: missing });
    expect(outcome.facts).toBeNull();
  });
});
