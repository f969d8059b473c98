/** Typed codex settings: the executor's env parsing (its TypeScript model), validation, options → executor env. */
import { stderrLinesOf } from '../../../../../src/cli/error_lines.js';
import { describe, expect, it } from 'vitest';

import {
  executorSettingsEnv,
  executorSettingsFromEnv,
  validateSettingsOptions,
  type CodexSettingsOptions,
  type ExecutorSettings,
} from '../../../../../src/infrastructure/adapter/codex/executor_settings.js';

const DEFAULTS: ExecutorSettings = { model: null, sandbox: 'workspace-write', profile: null, reasoningEffort: null, view: 'all', skipGitRepoCheck: true };

describe('executorSettingsFromEnv (scripts/codex_executor.sh rules)', () => {
  it.each([
    [{}, {}],
    [{ CODEX_MODEL: '' }, {}],
    [{ CODEX_MODEL: 'gpt-5-codex' }, { model: 'gpt-5-codex' }],
    [{ CODEX_MODEL: ' ' }, { model: ' ' }], // never trimmed
    [{ CODEX_PROFILE: '' }, {}],
    [{ CODEX_PROFILE: 'prof' }, { profile: 'prof' }],
    [{ CODEX_REASONING_EFFORT: '' }, {}],
    [{ CODEX_REASONING_EFFORT: 'high' }, { reasoningEffort: 'high' }],
    [{ CODEX_REASONING_EFFORT: 'bogus"x' }, { reasoningEffort: 'bogus"x' }], // inserted raw
    [{ CODEX_SANDBOX: '' }, {}],
    [{ CODEX_SANDBOX: 'read-only' }, { sandbox: 'read-only' }],
    [{ CODEX_SANDBOX: 'bogus' }, { sandbox: 'bogus' }], // codex judges it
    [{ CODEX_FULL_AUTO: '1', CODEX_SANDBOX: 'read-only' }, {}],
    [{ CODEX_FULL_AUTO: 'true', CODEX_SANDBOX: 'danger-full-access' }, { sandbox: 'danger-full-access' }],
    [{ CODEX_FULL_AUTO: ' 1', CODEX_SANDBOX: 'read-only' }, { sandbox: 'read-only' }],
    [{ CODEX_FULL_AUTO: '0' }, {}],
    [{ CODEX_STREAM_VIEW: '' }, {}],
    [{ CODEX_STREAM_VIEW: 'all_compact' }, { view: 'all_compact' }],
    [{ CODEX_STREAM_VIEW: 'assistant' }, { view: 'assistant' }],
    [{ CODEX_STREAM_VIEW: 'thinking' }, { view: 'thinking' }],
    [{ CODEX_STREAM_VIEW: 'ASSISTANT' }, {}],
    [{ CODEX_STREAM_VIEW: 'bogus' }, {}],
    [{ CODEX_SKIP_GIT_REPO_CHECK: '' }, {}],
    [{ CODEX_SKIP_GIT_REPO_CHECK: '1' }, {}],
    [{ CODEX_SKIP_GIT_REPO_CHECK: '0' }, { skipGitRepoCheck: false }],
    [{ CODEX_SKIP_GIT_REPO_CHECK: ' 1' }, { skipGitRepoCheck: false }],
    [{ CODEX_SKIP_GIT_REPO_CHECK: 'true' }, { skipGitRepoCheck: false }],
  ] as const)('%j', (env, changed) => {
    expect(executorSettingsFromEnv(env)).toEqual({ ...DEFAULTS, ...changed });
  });
});

describe('validateSettingsOptions', () => {
  it('accepts every typed value and no options at all', () => {
    expect(validateSettingsOptions({})).toBeNull();
    expect(
      validateSettingsOptions({ model: 'm', sandbox: 'danger-full-access', profile: 'p', reasoningEffort: 'xhigh', view: 'thinking', skipGitRepoCheck: false }),
    ).toBeNull();
  });

  it.each([
    [{ sandbox: 'bogus' }, 'invalid option sandbox: "bogus" is not one of read-only, workspace-write, danger-full-access'],
    [{ sandbox: 'Read-Only' }, 'invalid option sandbox: "Read-Only" is not one of read-only, workspace-write, danger-full-access'],
    [{ view: 'all\ncompact' }, 'invalid option view: "all\\ncompact" is not one of all, all_compact, assistant, thinking'],
    [{ reasoningEffort: 'highest' }, 'invalid option reasoningEffort: "highest" is not one of none, minimal, low, medium, high, xhigh, max, ultra'],
    [{ model: '' }, 'invalid option model: expected a non-empty string, got ""'],
    [{ model: 5 }, 'invalid option model: expected a non-empty string, got 5'],
    [{ profile: null }, 'invalid option profile: expected a non-empty string, got null'],
    [{ skipGitRepoCheck: '1' }, 'invalid option skipGitRepoCheck: expected a boolean, got "1"'],
  ])('%j → invalid_option, exit 2, one line', (options, message) => {
    const error = validateSettingsOptions(options as unknown as CodexSettingsOptions);
    expect(error?.reason).toBe('invalid_option');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toBe(message);
    expect((error ? stderrLinesOf(error) : [])).toEqual([message]);
  });
});

describe('executorSettingsEnv (options → the executor env)', () => {
  it('writes each option that changes what the executor reads', () => {
    expect(
      executorSettingsEnv({ model: 'm', sandbox: 'read-only', profile: 'p', reasoningEffort: 'low', view: 'assistant', skipGitRepoCheck: false }, {}),
    ).toEqual({ CODEX_MODEL: 'm', CODEX_SANDBOX: 'read-only', CODEX_PROFILE: 'p', CODEX_REASONING_EFFORT: 'low', CODEX_STREAM_VIEW: 'assistant', CODEX_SKIP_GIT_REPO_CHECK: '0' });
  });

  it('options win over env', () => {
    const env = { CODEX_MODEL: 'a', CODEX_SANDBOX: 'danger-full-access', CODEX_PROFILE: 'x', CODEX_REASONING_EFFORT: 'bogus', CODEX_STREAM_VIEW: 'thinking', CODEX_SKIP_GIT_REPO_CHECK: '0' };
    expect(executorSettingsEnv({ model: 'b', sandbox: 'read-only', profile: 'y', reasoningEffort: 'high', view: 'all', skipGitRepoCheck: true }, env)).toEqual({
      CODEX_MODEL: 'b', CODEX_SANDBOX: 'read-only', CODEX_PROFILE: 'y', CODEX_REASONING_EFFORT: 'high', CODEX_STREAM_VIEW: 'all', CODEX_SKIP_GIT_REPO_CHECK: '1',
    });
  });

  it('a sandbox option removes CODEX_FULL_AUTO=1, which would force workspace-write', () => {
    const env = { CODEX_FULL_AUTO: '1' };
    const out = executorSettingsEnv({ sandbox: 'read-only' }, env);
    expect(out).toEqual({ CODEX_SANDBOX: 'read-only', CODEX_FULL_AUTO: undefined });
    expect(Object.hasOwn(out, 'CODEX_FULL_AUTO')).toBe(true);
    expect(executorSettingsFromEnv({ ...env, ...out }).sandbox).toBe('read-only');
    expect(executorSettingsEnv({ sandbox: 'workspace-write' }, env)).toEqual({});
  });

  it('writes nothing when the env already says the same (defaults included)', () => {
    expect(executorSettingsEnv({}, { CODEX_MODEL: 'a' })).toEqual({});
    expect(executorSettingsEnv({ sandbox: 'workspace-write', view: 'all', skipGitRepoCheck: true }, {})).toEqual({});
    expect(executorSettingsEnv({ view: 'all' }, { CODEX_STREAM_VIEW: 'bogus' })).toEqual({});
    expect(executorSettingsEnv({ skipGitRepoCheck: true }, { CODEX_SKIP_GIT_REPO_CHECK: '' })).toEqual({});
  });
});
