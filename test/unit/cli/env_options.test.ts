/** The CLI edge: process.env → typed run options, with the executor's own parsing rules. */
import { describe, expect, it } from 'vitest';

import { envRunOptions } from '../../../src/cli/env_options.js';
import { executorSettingsEnv, executorSettingsFromEnv, validateSettingsOptions } from '../../../src/infrastructure/adapter/codex/executor_settings.js';

// Env tables for the CLI mapping: each variable unset, empty, valid and odd.
const ENV_CASES: Record<string, string>[] = [
  {},
  { CODEX_MODEL: 'gpt-5-codex', CODEX_PROFILE: 'prof', CODEX_REASONING_EFFORT: 'high', CODEX_SANDBOX: 'read-only', CODEX_STREAM_VIEW: 'assistant', CODEX_SKIP_GIT_REPO_CHECK: '0' },
  { CODEX_MODEL: '', CODEX_PROFILE: '', CODEX_REASONING_EFFORT: '', CODEX_SANDBOX: '', CODEX_STREAM_VIEW: '', CODEX_SKIP_GIT_REPO_CHECK: '' },
  { CODEX_FULL_AUTO: '1', CODEX_SANDBOX: 'read-only' },
  { CODEX_FULL_AUTO: 'yes', CODEX_SANDBOX: 'danger-full-access' },
  { CODEX_SANDBOX: 'bogus', CODEX_REASONING_EFFORT: 'very "high"', CODEX_STREAM_VIEW: 'bogus', CODEX_SKIP_GIT_REPO_CHECK: 'true' },
  { CODEX_SKIP_GIT_REPO_CHECK: '1', CODEX_STREAM_VIEW: 'all_compact', CODEX_REASONING_EFFORT: 'xhigh' },
];
const SETTING_VARS = ['CODEX_MODEL', 'CODEX_PROFILE', 'CODEX_REASONING_EFFORT', 'CODEX_SANDBOX', 'CODEX_FULL_AUTO', 'CODEX_STREAM_VIEW', 'CODEX_SKIP_GIT_REPO_CHECK'];

describe('envRunOptions (the CLI edge)', () => {
  it('maps each variable to its typed option with the executor rules', () => {
    expect(envRunOptions({}).options).toEqual({ compat: 'v661', sandbox: 'workspace-write', view: 'all', skipGitRepoCheck: true });
    expect(envRunOptions(ENV_CASES[1]!).options).toEqual({
      compat: 'v661', model: 'gpt-5-codex', profile: 'prof', reasoningEffort: 'high', sandbox: 'read-only', view: 'assistant', skipGitRepoCheck: false,
    });
    expect(envRunOptions(ENV_CASES[2]!).options).toEqual(envRunOptions({}).options);
    expect(envRunOptions(ENV_CASES[3]!).options.sandbox).toBe('workspace-write');
    expect(envRunOptions(ENV_CASES[4]!).options.sandbox).toBe('danger-full-access');
  });

  it('leaves values the typed options cannot hold to the env, so they reach codex unchanged', () => {
    const { options } = envRunOptions(ENV_CASES[5]!);
    expect(options).toEqual({ compat: 'v661', view: 'all', skipGitRepoCheck: false });
  });

  it('carries the compat choice, RESULT_PHASE, CODEX_RUN_DIR and the compat warning', () => {
    expect(envRunOptions({ RESULT_PHASE: 'review', CODEX_RUN_DIR: 'runs/1' }).options).toMatchObject({ compat: 'agent-dock-head', resultPhase: 'review', runDir: 'runs/1' });
    expect(envRunOptions({ CODEX_RUN_DIR: '' }).options).not.toHaveProperty('runDir');
    expect(envRunOptions({ CODEX_WRAPPER_COMPAT: 'nope' }).warnings).toHaveLength(1);
    expect(envRunOptions({}).warnings).toEqual([]);
  });

  it.each(ENV_CASES)('%j: the mapped options change nothing in the env codex and the executor see', (env) => {
    const { options } = envRunOptions(env);
    expect(validateSettingsOptions(options)).toBeNull();
    expect(executorSettingsEnv(options, env)).toEqual({});
  });

  it.each(ENV_CASES.filter((env) => env.CODEX_SANDBOX !== 'bogus'))('%j: typed options alone give the executor the same settings', (env) => {
    const { options } = envRunOptions(env);
    const bare = Object.fromEntries(Object.entries(env).filter(([name]) => !SETTING_VARS.includes(name)));
    expect(executorSettingsFromEnv({ ...bare, ...executorSettingsEnv(options, bare) })).toEqual(executorSettingsFromEnv(env));
  });
});
