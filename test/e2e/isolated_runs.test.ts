/**
 * Isolated runs with the REAL codex binary: per-run CODEX_HOME and TMPDIR, auth.json and
 * config.toml shared by symlink, API keys, parallel runs, and one refresh for many runs. The
 * "parent" home is a hermetic CODEX_HOME with a ChatGPT-mode auth.json whose tokens are fake JWTs;
 * refreshes go to the fake OAuth endpoint on 127.0.0.1.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeChatGptAuthJson, type ChatGptAuthJson } from '../../src/devtools/fake_model_server.js';
import { runTeammatePayload, type CodexRunOutcome } from '../../src/index.js';
import { executePayload, runWrapper, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

let world: CodexWorld;
let auth: ChatGptAuthJson;
let sharedAuth: string;

beforeEach(async () => {
  world = await startCodexWorld();
});
afterEach(() => world.close());

async function rebuildWithChatGpt(expired: boolean): Promise<CodexWorld> {
  await world.close();
  const { startFakeModelServer } = await import('../../src/devtools/fake_model_server.js');
  const { createHermeticCodexHome, hermeticWrapperEnv } = await import('../../src/devtools/hermetic_codex.js');
  const server = await startFakeModelServer();
  const home = createHermeticCodexHome({ baseUrl: server.baseUrl, modelCatalog: true, chatgptBaseUrl: `${server.url}/backend-api/` });
  auth = makeChatGptAuthJson({ expired });
  sharedAuth = path.join(home.codexHome, 'auth.json');
  writeFileSync(sharedAuth, JSON.stringify(auth), { mode: 0o600 });
  return {
    server,
    home,
    env: { ...hermeticWrapperEnv(home), CODEX_STREAM_LOGS: '0' },
    async close() {
      home.cleanup();
      await server.close();
    },
  };
}

function runIsolated(name: string, env: Record<string, string | undefined> = {}, scenario = 'demo'): Promise<CodexRunOutcome> {
  const project = path.join(world.home.root, 'projects', name);
  mkdirSync(project, { recursive: true });
  return runTeammatePayload(executePayload(scenario), {
    env: { ...world.env, TARGET_PROJECT_DIR: project, ...env },
    runDir: path.join(world.home.root, 'runs', name),
    display: 'ignore',
    logDir: mkdirAndReturn(path.join(world.home.root, 'logs', name)),
  });
}

function mkdirAndReturn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every regular file under `dir`, recursively (symlinks are not followed). */
function regularFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...regularFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function expectNoSecretCopies(runDir: string, secrets: string[]): void {
  for (const file of regularFiles(runDir)) {
    const text = readFileSync(file).toString('latin1');
    for (const secret of secrets) expect(text.includes(secret), `${file} contains a secret`).toBe(false);
  }
}

describe('ChatGPT-mode auth shared by symlink', () => {
  it('runs with auth.json and config.toml symlinked, and copies no secret', async () => {
    world = await rebuildWithChatGpt(false);
    const outcome = await runIsolated('one');
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');
    const home = path.join(world.home.root, 'runs/one/.codex_home');
    expect(lstatSync(path.join(home, 'auth.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(home, 'auth.json'))).toBe(realpathSync(sharedAuth));
    expect(lstatSync(path.join(home, 'config.toml')).isSymbolicLink()).toBe(true);
    expect(readdirSync(home).some((name) => name.startsWith('state_'))).toBe(true); // codex's SQLite lives in the run home
    const responses = world.server.requests.filter((r) => r.endpoint === 'responses');
    expect(responses.every((r) => r.headers.authorization === `Bearer ${auth.tokens.access_token}`)).toBe(true);
    expectNoSecretCopies(path.join(world.home.root, 'runs/one'), [auth.tokens.access_token, auth.tokens.refresh_token, auth.tokens.id_token]);
  });

  it('after a refresh the link is still a link and the shared file holds the new tokens', async () => {
    world = await rebuildWithChatGpt(true);
    const outcome = await runIsolated('refresh');
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');
    expect(world.server.refreshCount()).toBe(1);
    const link = path.join(world.home.root, 'runs/refresh/.codex_home/auth.json');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const rotated = JSON.parse(readFileSync(sharedAuth, 'utf8')) as ChatGptAuthJson;
    expect(rotated.tokens.refresh_token).not.toBe(auth.tokens.refresh_token);
    expect(rotated.tokens.access_token).not.toBe(auth.tokens.access_token);
    expectNoSecretCopies(path.join(world.home.root, 'runs/refresh'), [
      auth.tokens.refresh_token,
      rotated.tokens.refresh_token,
      rotated.tokens.access_token,
    ]);
  });

  it('leaves no secret copy after a failed run either', async () => {
    world = await rebuildWithChatGpt(false);
    const outcome = await runIsolated('failing', {}, 'http_500');
    expect(outcome.ok).toBe(false);
    expectNoSecretCopies(path.join(world.home.root, 'runs/failing'), [auth.tokens.access_token, auth.tokens.refresh_token]);
  });

  it('a pre-existing auth.json in the run home stays byte-identical and is used', async () => {
    world = await rebuildWithChatGpt(false);
    const own = makeChatGptAuthJson({ expired: false, accountId: 'acct-own' });
    const home = path.join(world.home.root, 'runs/own/.codex_home');
    mkdirSync(home, { recursive: true });
    const text = JSON.stringify(own);
    writeFileSync(path.join(home, 'auth.json'), text, { mode: 0o600 });
    const notices: string[] = [];
    const project = mkdirAndReturn(path.join(world.home.root, 'projects/own'));
    const outcome = await runTeammatePayload(executePayload('demo'), {
      env: { ...world.env, TARGET_PROJECT_DIR: project },
      runDir: path.join(world.home.root, 'runs/own'),
      display: 'ignore',
      log: (line) => notices.push(line),
    });
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');
    expect(readFileSync(path.join(home, 'auth.json'), 'utf8')).toBe(text);
    expect(notices.join('\n')).toContain('regular file, a copy of a secret');
    const last = world.server.requests.filter((r) => r.endpoint === 'responses').at(-1);
    expect(last?.headers.authorization).toBe(`Bearer ${own.tokens.access_token}`);
  });
});

describe('API keys', () => {
  it.each([
    ['CODEX_API_KEY', { CODEX_API_KEY: 'sk-fake-codex-key' }],
    ['OPENAI_API_KEY', { OPENAI_API_KEY: 'sk-fake-openai-key' }],
  ])('%s works and writes no auth.json', async (_name, keyEnv) => {
    await world.close();
    world = await startCodexWorld({}, { requiresOpenaiAuth: true });
    world.env.CODEX_STREAM_LOGS = '0';
    const key = Object.values(keyEnv)[0] as string;
    const outcome = await runIsolated('key', keyEnv);
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');
    const responses = world.server.requests.filter((r) => r.endpoint === 'responses');
    expect(responses.length).toBeGreaterThan(0);
    expect(responses.every((r) => r.headers.authorization === `Bearer ${key}`)).toBe(true);
    const home = path.join(world.home.root, 'runs/key/.codex_home');
    expect(readdirSync(home)).not.toContain('auth.json');
    expectNoSecretCopies(path.join(world.home.root, 'runs/key'), [key]);
  });

  it('hides key and token variables from the commands the model runs', async () => {
    await world.close();
    world = await startCodexWorld({}, { requiresOpenaiAuth: true });
    const outcome = await runIsolated('probe', { CODEX_API_KEY: 'sk-fake-probe', MY_SERVICE_TOKEN: 'tok-fake', CODEX_STREAM_LOGS: '0' }, 'env_probe');
    const logs = path.join(world.home.root, 'logs/probe/codex_stdout.jsonl');
    const events = readFileSync(logs, 'utf8');
    expect(events).toContain('TMPDIR=' + path.join(world.home.root, 'runs/probe/.tmp'));
    expect(events).toContain('CODEX_HOME=' + path.join(world.home.root, 'runs/probe/.codex_home'));
    expect(events).not.toContain('sk-fake-probe');
    expect(events).not.toContain('tok-fake');
    void outcome;
  });
});

describe('clear failures before codex starts (through bin/codex-wrapper)', () => {
  it('no credentials at all → exit 1 before any model request, one line', async () => {
    const env = { ...world.env, CODEX_HOME: path.join(world.home.root, 'empty-home'), CODEX_RUN_DIR: path.join(world.home.root, 'runs/nocred') };
    mkdirSync(env.CODEX_HOME, { recursive: true });
    const run = await runWrapper(executePayload('demo'), env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^codex auth not found\. Run `codex login`\./);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(world.server.requests).toHaveLength(0);
  });

  it('an unwritable run dir → exit 1 naming the path', async () => {
    const blocker = path.join(world.home.root, 'blocker');
    writeFileSync(blocker, 'a file where a directory should be');
    const run = await runWrapper(executePayload('demo'), { ...world.env, CODEX_API_KEY: 'sk-fake', CODEX_RUN_DIR: path.join(blocker, 'run') });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^cannot prepare run dir .*blocker\/run: .*ENOTDIR/);
    expect(world.server.requests).toHaveLength(0);
  });
});

describe('parallel isolated runs', () => {
  it.each([4, 8])('%i runs in parallel all succeed, without SQLite lock errors or mixed logs', async (count) => {
    world.env.CODEX_STREAM_LOGS = '0';
    const names = Array.from({ length: count }, (_, i) => `p${count}-${i}`);
    const outcomes = await Promise.all(names.map((name) => runIsolated(name, { CODEX_API_KEY: 'sk-fake' })));
    const threadIds = new Set<string>();
    outcomes.forEach((outcome, index) => {
      expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');
      if (!outcome.ok) return;
      const name = names[index] as string;
      const stdoutLog = readFileSync(path.join(world.home.root, 'logs', name, 'codex_stdout.jsonl'), 'utf8');
      const stderrLog = readFileSync(path.join(world.home.root, 'logs', name, 'codex_stderr.txt'), 'utf8');
      expect(stderrLog).not.toMatch(/database is locked/i);
      // Each run's log holds its own thread and nobody else's.
      const ids = [...stdoutLog.matchAll(/"thread_id":"([^"]+)"/g)].map((m) => m[1]);
      expect(ids).toEqual([outcome.value.threadId]);
      threadIds.add(outcome.value.threadId as string);
      expect(readFileSync(path.join(world.home.root, 'projects', name, 'a.txt'), 'utf8')).toBe('hello from codex\n');
    });
    expect(threadIds.size).toBe(count);
  });

  it('6 runs on an expired token cause exactly one refresh; without the lock each run refreshes', async () => {
    // A slow token endpoint (as over a real network) makes the refreshes of parallel starts overlap.
    world = await rebuildWithChatGpt(true);
    world.server.setOAuth({ delayMs: 1000 });
    const locked = await Promise.all(Array.from({ length: 6 }, (_, i) => runIsolated(`lock-${i}`)));
    expect(locked.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(Array(6).fill('ok'));
    const withLock = world.server.refreshCount();
    expect(withLock).toBe(1);

    world = await rebuildWithChatGpt(true);
    world.server.setOAuth({ delayMs: 1000 });
    const unlocked = await Promise.all(Array.from({ length: 6 }, (_, i) => runIsolated(`nolock-${i}`, { CODEX_REFRESH_LOCK: '0' })));
    const withoutLock = world.server.refreshCount();
    console.log(`refresh requests for 6 parallel runs on an expired token: ${withLock} with the lock, ${withoutLock} without`);
    expect(withoutLock).toBeGreaterThan(1);
    void unlocked;
  });
});

describe('TMPDIR', () => {
  it('keeps the wrapper\'s own files in the run\'s .tmp and leaves the caller\'s TMPDIR empty', async () => {
    const callerTmp = mkdirAndReturn(path.join(world.home.root, 'caller-tmp'));
    const runDir = path.join(world.home.root, 'runs/tmpcheck');
    const systemTmpBefore = new Set(readdirSync('/tmp'));
    const run = await runWrapper(executePayload('demo'), { ...world.env, CODEX_API_KEY: 'sk-fake', TMPDIR: callerTmp, CODEX_RUN_DIR: runDir, CODEX_STREAM_LOGS: '0' });
    expect(run.code).toBe(0);
    expect(readdirSync(callerTmp)).toEqual([]);
    // Nothing of ours lands in the system temp dir (codex's hard-coded codex-daemon-<uid> is not
    // ours). Only our own names count: other test files create their own temp dirs there meanwhile.
    const added = readdirSync('/tmp').filter((name) => !systemTmpBefore.has(name));
    expect(added.filter((name) => /^codex-(child-|executor\.)/.test(name))).toEqual([]);
    expect(readdirSync(path.join(runDir, '.tmp')).filter((n) => n.startsWith('codex-child-'))).toEqual([]);
    expect(statSync(path.join(runDir, '.codex_home')).isDirectory()).toBe(true);
  });
});
