/**
 * Typed codex settings end to end, with the recording fake codex: a library run given typed options
 * and a wrapper run given the equivalent CODEX_* variables hand codex the same argv, and the wrapper
 * (which maps its env to the options) hands codex the same environment as the variables alone.
 */
import { stderrLinesOf } from '../../src/cli/error_lines.js';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCodexPrompt, runTeammatePayload, type CodexRunOptions } from '../../src/index.js';
import { secretExclusionArgs } from '../../src/infrastructure/adapter/codex/secret_env.js';
import { fixturePath } from '../support/fixtures.js';
import { executePayload, REPO_ROOT, runWrapper } from '../support/wrapper_harness.js';

const SETTING_VARS = ['CODEX_MODEL', 'CODEX_PROFILE', 'CODEX_REASONING_EFFORT', 'CODEX_SANDBOX', 'CODEX_FULL_AUTO', 'CODEX_STREAM_VIEW', 'CODEX_SKIP_GIT_REPO_CHECK'];
const BLOCK = 'RESULT: completed\nSUMMARY: created a.txt with one line of text\nCHANGED_FILES: a.txt\nCHECKS: npm test';

let root: string;
let runs = 0;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'typed-settings-'));
  mkdirSync(path.join(root, 'proj'));
  mkdirSync(path.join(root, 'home'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh recording env for one run (no setting variables yet). */
function recordingEnv(): { env: Record<string, string>; argvFile: string; envFile: string } {
  runs += 1;
  const argvFile = path.join(root, `argv-${runs}`);
  const envFile = path.join(root, `env-${runs}`);
  return {
    argvFile,
    envFile,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: path.join(root, 'home'),
      TMPDIR: root,
      CODEX_BIN: path.join(REPO_ROOT, 'test/support/fake_codex.sh'),
      TARGET_PROJECT_DIR: path.join(root, 'proj'),
      CODEX_PROMPT_LOG_PATH: path.join(root, 'prompt.txt'),
      CODEX_ERROR_LOG_PATH: path.join(root, 'error.log'),
      FAKE_CODEX_ARGV_FILE: argvFile,
      FAKE_CODEX_ENV_FILE: envFile,
      FAKE_CODEX_ENV_NAMES: SETTING_VARS.join(' '),
      FAKE_CODEX_JSONL: fixturePath('events.jsonl'),
      FAKE_CODEX_LAST_MESSAGE: BLOCK,
    },
  };
}

/** codex's argv with the per-run last-message path replaced and the adapter's secret filter (always last, before `-`) dropped. */
function argvOf(file: string): string[] {
  const argv = readFileSync(file, 'latin1').split('\0').slice(0, -1);
  const at = argv.indexOf('--output-last-message');
  if (at >= 0) argv[at + 1] = '<last>';
  const secrets = secretExclusionArgs();
  const tail = argv.length - 1 - secrets.length;
  expect(argv.slice(tail, -1)).toEqual(secrets);
  return [...argv.slice(0, tail), ...argv.slice(-1)];
}

const CASES: { name: string; vars: Record<string, string>; options: CodexRunOptions; argv: string[] }[] = [
  {
    name: 'everything set',
    vars: { CODEX_MODEL: 'gpt-5-codex', CODEX_PROFILE: 'prof', CODEX_REASONING_EFFORT: 'high', CODEX_SANDBOX: 'read-only', CODEX_STREAM_VIEW: 'assistant', CODEX_SKIP_GIT_REPO_CHECK: '0' },
    options: { model: 'gpt-5-codex', profile: 'prof', reasoningEffort: 'high', sandbox: 'read-only', view: 'assistant', skipGitRepoCheck: false },
    argv: ['-m', 'gpt-5-codex', '-c', 'model_reasoning_effort="high"', '-p', 'prof', '-s', 'read-only', '-'],
  },
  { name: 'defaults', vars: {}, options: {}, argv: ['--skip-git-repo-check', '-s', 'workspace-write', '-'] },
  {
    name: 'CODEX_FULL_AUTO=1 over CODEX_SANDBOX',
    vars: { CODEX_FULL_AUTO: '1', CODEX_SANDBOX: 'danger-full-access', CODEX_SKIP_GIT_REPO_CHECK: '1' },
    options: { sandbox: 'workspace-write', skipGitRepoCheck: true },
    argv: ['--skip-git-repo-check', '-s', 'workspace-write', '-'],
  },
  {
    name: 'empty values are unset',
    vars: { CODEX_MODEL: '', CODEX_PROFILE: '', CODEX_REASONING_EFFORT: '', CODEX_SANDBOX: '', CODEX_SKIP_GIT_REPO_CHECK: '' },
    options: { sandbox: 'workspace-write' },
    argv: ['--skip-git-repo-check', '-s', 'workspace-write', '-'],
  },
  {
    name: 'danger-full-access, effort xhigh',
    vars: { CODEX_SANDBOX: 'danger-full-access', CODEX_REASONING_EFFORT: 'xhigh', CODEX_SKIP_GIT_REPO_CHECK: 'true' },
    options: { sandbox: 'danger-full-access', reasoningEffort: 'xhigh', skipGitRepoCheck: false },
    argv: ['-c', 'model_reasoning_effort="xhigh"', '-s', 'danger-full-access', '-'],
  },
];

describe('typed settings → codex argv', () => {
  it.each(CASES)('$name: typed options, env variables and the wrapper give the same argv', async ({ vars, options, argv }) => {
    const expected = ['exec', '--json', '-C', path.join(root, 'proj'), '--output-last-message', '<last>', ...argv];

    const typed = recordingEnv();
    const byOptions = await runTeammatePayload(executePayload('demo'), { ...options, env: typed.env, display: 'ignore' });
    expect(byOptions.ok ? byOptions.value.output : byOptions.error.message).toBe(BLOCK);
    expect(argvOf(typed.argvFile)).toEqual(expected);

    const fromEnv = recordingEnv();
    const byEnv = await runTeammatePayload(executePayload('demo'), { env: { ...fromEnv.env, ...vars }, display: 'ignore' });
    expect(byEnv.ok).toBe(true);
    expect(argvOf(fromEnv.argvFile)).toEqual(expected);

    const wrapper = recordingEnv();
    const run = await runWrapper(executePayload('demo'), { ...wrapper.env, ...vars, CODEX_STREAM_LOGS: '0' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(argvOf(wrapper.argvFile)).toEqual(expected);
    // The wrapper maps its env to typed options; codex still sees the variables exactly as given.
    const seen = readFileSync(wrapper.envFile, 'utf8').split('\n').filter((line) => SETTING_VARS.some((name) => line.startsWith(`${name}=`)));
    expect(seen).toEqual(SETTING_VARS.map((name) => `${name}=${vars[name] ?? '<unset>'}`));
  });

  it('options win over the env variables', async () => {
    const rec = recordingEnv();
    const env = { ...rec.env, CODEX_MODEL: 'env-model', CODEX_SANDBOX: 'danger-full-access', CODEX_FULL_AUTO: '1', CODEX_SKIP_GIT_REPO_CHECK: '0' };
    const outcome = await runTeammatePayload(executePayload('demo'), { env, model: 'opt-model', sandbox: 'read-only', skipGitRepoCheck: true, display: 'ignore' });
    expect(outcome.ok).toBe(true);
    expect(argvOf(rec.argvFile).slice(6)).toEqual(['--skip-git-repo-check', '-m', 'opt-model', '-s', 'read-only', '-']);
  });

  it('a value the typed options cannot hold still reaches codex raw through the wrapper', async () => {
    const rec = recordingEnv();
    const run = await runWrapper(executePayload('demo'), { ...rec.env, CODEX_SANDBOX: 'bogus', CODEX_REASONING_EFFORT: 'very "high"', CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(0);
    expect(argvOf(rec.argvFile).slice(6)).toEqual(['--skip-git-repo-check', '-c', 'model_reasoning_effort="very "high""', '-s', 'bogus', '-']);
  });

  it('a bad typed value from a JS caller is one invalid_option error (exit 2), and codex never starts', async () => {
    const rec = recordingEnv();
    const outcome = await runCodexPrompt('hello', { env: rec.env, display: 'ignore', sandbox: 'bogus' as never });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).toBe('invalid_option');
    expect(outcome.error.exitCode).toBe(2);
    expect(stderrLinesOf(outcome.error)).toEqual(['invalid option sandbox: "bogus" is not one of read-only, workspace-write, danger-full-access']);
    expect(existsSync(rec.argvFile)).toBe(false);
  });
});

/** The live view a run rendered. */
// A locale every machine has: where en_US.UTF-8 is missing, bash warns on the fake codex's stderr,
// and where that line lands among the stdout lines depends on timing.
const LOCALE = { CODEX_WRAPPER_LANG: 'C.UTF-8' };

async function renderedView(options: CodexRunOptions, vars: Record<string, string> = {}): Promise<string> {
  const display = new PassThrough();
  const chunks: Buffer[] = [];
  display.on('data', (chunk: Buffer) => chunks.push(chunk));
  const rec = recordingEnv();
  const outcome = await runCodexPrompt('hello', { ...options, env: { ...rec.env, FAKE_CODEX_JSONL: fixturePath('events-extended.jsonl'), CODEX_STREAM_EXEC_MAX_CHARS: '20', ...LOCALE, ...vars }, display });
  expect(outcome.ok).toBe(true);
  return Buffer.concat(chunks).toString('utf8');
}

describe('typed settings → the live view', () => {
  it.each(['all_compact', 'assistant', 'thinking'] as const)('view %s renders as CODEX_STREAM_VIEW does, and unlike the default', async (view) => {
    const typed = await renderedView({ view });
    expect(typed).toBe(await renderedView({}, { CODEX_STREAM_VIEW: view }));
    expect(typed).not.toBe(await renderedView({}));
  });

  it('view "all" wins over CODEX_STREAM_VIEW', async () => {
    expect(await renderedView({ view: 'all' }, { CODEX_STREAM_VIEW: 'assistant' })).toBe(await renderedView({}));
  });
});

describe('typed profile in an isolated run', () => {
  it('links <profile>.config.toml into the run home, as CODEX_PROFILE does, and passes -p', async () => {
    const parentHome = path.join(root, 'parent-codex-home');
    mkdirSync(parentHome);
    writeFileSync(path.join(parentHome, 'config.toml'), 'model = "x"\n');
    writeFileSync(path.join(parentHome, 'work.config.toml'), 'model = "y"\n');
    const rec = recordingEnv();
    const runDir = path.join(root, 'isolated-run');
    const outcome = await runTeammatePayload(executePayload('demo'), { env: { ...rec.env, CODEX_HOME: parentHome, CODEX_API_KEY: 'k' }, profile: 'work', runDir, display: 'ignore' });
    expect(outcome.ok ? outcome.value.output : outcome.error.message).toBe(BLOCK);
    expect(lstatSync(path.join(runDir, '.codex_home', 'work.config.toml')).isSymbolicLink()).toBe(true);
    expect(argvOf(rec.argvFile).slice(6)).toEqual(['--skip-git-repo-check', '-p', 'work', '-s', 'workspace-write', '-']);
  });
});
