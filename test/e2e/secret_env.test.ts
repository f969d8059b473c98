/**
 * Secrets hidden from the commands the model runs, in every mode (issue 9, item 7): the REAL codex
 * binary runs a model-requested `env > tool_env.txt` in the project, through bin/codex-wrapper in
 * its default mode (no CODEX_RUN_DIR) and isolated (CODEX_RUN_DIR), and through the library.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurn } from '../../src/devtools/fake_model_server.js';
import { runTeammatePayload } from '../../src/index.js';
import { MUST_HIDE, MUST_PASS } from '../support/secret_names.js';
import { executePayload, runWrapper, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

let world: CodexWorld;
beforeAll(async () => {
  // requires_openai_auth: CODEX_API_KEY is the bearer, so the key really is in codex's own env.
  world = await startCodexWorld({}, { requiresOpenaiAuth: true });
  world.server.registerScenario(
    'env_dump',
    scriptedTurn({
      commands: ['env > tool_env.txt'],
      result: 'RESULT: completed\nSUMMARY: dumped the tool environment\nCHANGED_FILES: tool_env.txt\nCHECKS: none',
    }),
  );
});
afterAll(() => world.close());

const secretValue = (name: string) => `fake-${name.toLowerCase()}-value`;

/** The world's env plus every listed secret (fake values), a lowercase one and the plain vars. */
function probeEnv(name: string, extra: Record<string, string> = {}) {
  const project = path.join(world.home.root, 'projects', name);
  mkdirSync(project, { recursive: true });
  const secrets = Object.fromEntries([...MUST_HIDE, 'my_lowercase_api_key'].map((n) => [n, secretValue(n)]));
  const env = {
    ...world.env,
    ...secrets,
    LANG: 'C.UTF-8',
    USER: 'probe-user',
    SHELL: '/bin/bash',
    TERM: 'xterm',
    CODEX_STREAM_LOGS: '0',
    TARGET_PROJECT_DIR: project,
    ...extra,
  };
  return { env, project };
}

function toolEnv(project: string): Map<string, string> {
  const text = readFileSync(path.join(project, 'tool_env.txt'), 'utf8');
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return vars;
}

function expectHiddenAndPassed(project: string): void {
  const vars = toolEnv(project);
  const text = readFileSync(path.join(project, 'tool_env.txt'), 'utf8');
  for (const name of [...MUST_HIDE, 'my_lowercase_api_key']) {
    expect(vars.has(name), `${name} reached the model's command`).toBe(false);
    expect(text.includes(secretValue(name)), `the value of ${name} reached the model's command`).toBe(false);
  }
  for (const name of MUST_PASS) expect(vars.get(name) ?? '', `${name} missing`).not.toBe('');
  expect(vars.get('USER')).toBe('probe-user');
  expect(vars.get('LANG')).toBe('C.UTF-8');
  // the run's own teardown marker (set by the executor for codex) must still reach commands
  expect(vars.get('CODEX_CHILD_RUN_ID')).toMatch(/^[0-9a-z]+-[0-9a-z]+-[0-9a-z]{2,}$/); // newRunId(): pid-clock-random
}

describe('secrets hidden from the model\'s commands', () => {
  it('bin/codex-wrapper default mode (no CODEX_RUN_DIR)', async () => {
    const { env, project } = probeEnv('wrapper-default');
    const run = await runWrapper(executePayload('env_dump'), env, { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(world.server.requests.filter((r) => r.endpoint === 'responses').at(-1)?.headers.authorization).toBe(`Bearer ${secretValue('CODEX_API_KEY')}`);
    expectHiddenAndPassed(project);
  });

  it('bin/codex-wrapper isolated mode (CODEX_RUN_DIR)', async () => {
    const { env, project } = probeEnv('wrapper-isolated', { CODEX_RUN_DIR: path.join(world.home.root, 'runs/isolated') });
    const run = await runWrapper(executePayload('env_dump'), env, { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expectHiddenAndPassed(project);
    expect(toolEnv(project).get('TMPDIR')).toBe(path.join(world.home.root, 'runs/isolated/.tmp'));
  });

  it('the library API without a run dir', async () => {
    const { env, project } = probeEnv('library');
    const outcome = await runTeammatePayload(executePayload('env_dump'), { env, display: 'ignore' });
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');
    expectHiddenAndPassed(project);
  });
});
