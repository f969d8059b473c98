/**
 * Smoke tests of the REAL codex binary (pinned @openai/codex 0.169.0) against the loopback fake model
 * server in hermetic homes. They pin the behaviour the rest of the package relies on (spec
 * codex-cli.md §7–§11) and compare it with the recorded fixtures.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_RESULT_TEXT,
  decodeJwtPayload,
  makeChatGptAuthJson,
  startFakeModelServer,
  toolOutputsOf,
  type ChatGptAuthJson,
  type FakeModelServer,
  type FakeOAuthBehaviour,
  type RecordedRequest,
} from '../../src/devtools/fake_model_server.js';
import {
  createHermeticCodexHome,
  hermeticCodexArgs,
  resolveCodexBinary,
  resolveCodexLauncher,
  type HermeticCodexHome,
  type HermeticCodexOptions,
} from '../../src/devtools/hermetic_codex.js';
import { fixturePath } from '../support/fixtures.js';


type CodexEvent = { type: string } & Record<string, unknown>;

interface CodexRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: CodexEvent[];
  nonJsonLines: string[];
  threadId: string | undefined;
  lastPath: string;
  durationMs: number;
}

const codexBin = resolveCodexBinary();
let server: FakeModelServer;
const homes: HermeticCodexHome[] = [];
const extraServers: FakeModelServer[] = [];

beforeAll(async () => {
  server = await startFakeModelServer();
});

afterAll(async () => {
  await Promise.all([server, ...extraServers].map((s) => s.close()));
  for (const h of homes) h.cleanup();
});

function home(options: Partial<HermeticCodexOptions> = {}, target: FakeModelServer = server): HermeticCodexHome {
  const h = createHermeticCodexHome({ baseUrl: target.baseUrl, ...options });
  homes.push(h);
  return h;
}

/**
 * Runs `codex exec --json` the way the wrapper does. The prompt goes through stdin (then closed)
 * or argv (stdin ignored: codex otherwise waits for EOF). Own process group, so a hung run can be
 * killed with everything it started.
 */
async function runCodex(h: HermeticCodexHome, prompt: string, opts: { viaStdin?: boolean; timeoutMs?: number; stalePrevious?: string } = {}): Promise<CodexRun> {
  const lastPath = join(h.root, 'last.txt');
  if (opts.stalePrevious !== undefined) writeFileSync(lastPath, opts.stalePrevious);
  const args = ['exec', '--json', '-o', lastPath, '--skip-git-repo-check', '-s', 'danger-full-access', '-C', h.workDir, ...hermeticCodexArgs(), opts.viaStdin === true ? '-' : prompt];
  const started = Date.now();
  const child = spawn(codexBin, args, { cwd: h.root, env: h.env, stdio: [opts.viaStdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: true });
  if (opts.viaStdin === true) child.stdin?.end(prompt);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const timer = setTimeout(() => { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); }, opts.timeoutMs ?? 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  });
  clearTimeout(timer);
  const events: CodexEvent[] = [];
  const nonJsonLines: string[] = [];
  for (const line of stdout.split('\n').filter((l) => l !== '')) {
    try {
      events.push(JSON.parse(line) as CodexEvent);
    } catch {
      nonJsonLines.push(line);
    }
  }
  const threadId = events.find((e) => e.type === 'thread.started')?.thread_id as string | undefined;
  return { code, signal, stdout, stderr, events, nonJsonLines, threadId, lastPath, durationMs: Date.now() - started };
}

/** Requests of one run: codex sends its thread id as the `thread-id` header. */
function requestsOf(run: CodexRun, target: FakeModelServer = server): RecordedRequest[] {
  return target.requests.filter((r) => r.headers['thread-id'] === run.threadId);
}

/** Events with the run-specific thread id replaced, for comparison with the fixtures. */
function normalized(events: CodexEvent[]): CodexEvent[] {
  return events.map((e) => (e.type === 'thread.started' ? { ...e, thread_id: '<thread>' } : e));
}

function parseJsonl(text: string): CodexEvent[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CodexEvent);
}

/** The nine failure cases of events-errors.txt: title → events. */
function fixtureFailures(): Map<string, CodexEvent[]> {
  const out = new Map<string, CodexEvent[]>();
  const sections = readFileSync(fixturePath('events-errors.txt'), 'utf8').split(/^### /m).slice(1);
  for (const section of sections) {
    const [header = '', ...lines] = section.split('\n');
    const title = header.replace(/\s+\(exit code \d+\)\s*$/, '');
    out.set(title, normalized(parseJsonl(lines.join('\n'))));
  }
  return out;
}

function expectOnlyLoopback(target: FakeModelServer): void {
  expect(target.requests.length).toBeGreaterThan(0);
  for (const r of target.requests) {
    expect(['127.0.0.1', '::ffff:127.0.0.1']).toContain(r.remoteAddress);
    expect(r.headers.host).toBe(`127.0.0.1:${target.port}`);
  }
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('real codex 0.169 against the fake model server', () => {
  it('resolves the native binary and the npm launcher, both report 0.169.0', async () => {
    expect(codexBin).toMatch(/@openai[\\/]codex-[a-z0-9-]+[\\/]vendor[\\/][^\\/]+[\\/]bin[\\/]codex(\.exe)?$/);
    for (const bin of [codexBin, resolveCodexLauncher()]) {
      const out = await new Promise<string>((resolve, reject) => {
        const c = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let text = '';
        c.stdout.on('data', (d: Buffer) => { text += d.toString(); });
        c.once('error', reject);
        c.once('close', () => resolve(text));
      });
      expect(out.trim()).toBe('codex-cli 0.169.0');
    }
  });

  it('runs the demo turn: a.txt, last message, events identical to the fixture', async () => {
    const h = home({ envKey: 'MOCK_API_KEY', apiKey: 'sk-mock-not-a-real-key' });
    const run = await runCodex(h, 'Create a.txt containing one line, then report in the 4-line format. [[scenario:demo]]', { viaStdin: true });

    expect(run.code).toBe(0);
    expect(run.nonJsonLines).toEqual([]);
    expect(readFileSync(join(h.workDir, 'a.txt'), 'utf8')).toBe('hello from codex\n');
    expect(readFileSync(run.lastPath, 'utf8')).toBe(DEMO_RESULT_TEXT);
    expect(readFileSync(run.lastPath, 'utf8')).toBe(readFileSync(fixturePath('last-message.txt'), 'utf8'));
    expect(run.events[0]?.type).toBe('thread.started');
    const command = run.events.find((e) => e.type === 'item.completed' && (e.item as { type: string }).type === 'command_execution');
    expect(command?.item).toMatchObject({ exit_code: 0, status: 'completed', aggregated_output: 'hello from codex\n' });
    expect(run.events).toContainEqual({ type: 'item.completed', item: { id: 'item_4', type: 'agent_message', text: DEMO_RESULT_TEXT } });
    expect(run.events.at(-1)).toEqual({
      type: 'turn.completed',
      usage: { input_tokens: 2400, cached_input_tokens: 400, cache_write_input_tokens: 0, output_tokens: 68, reasoning_output_tokens: 0 },
    });
    expect(normalized(run.events)).toEqual(normalized(parseJsonl(readFileSync(fixturePath('events.jsonl'), 'utf8'))));
    // CODEX_HOME is a sibling of TMPDIR, so no helper-alias warning.
    expect(run.stderr).not.toContain('could not create PATH aliases');

    const reqs = requestsOf(run);
    expect(reqs.map((r) => [r.endpoint, r.scenario, r.step])).toEqual([['responses', 'demo', 0], ['responses', 'demo', 1]]);
    expect(reqs.every((r) => r.headers.authorization === 'Bearer sk-mock-not-a-real-key')).toBe(true);
    expect(toolOutputsOf(reqs[1] as RecordedRequest)[0]).toMatch(/Process exited with code 0[\s\S]*Output:\nhello from codex\n/);
  });

  describe('failure modes end in turn.failed and exit 1, exactly as events-errors.txt', () => {
    const fixtures = fixtureFailures();
    const cases: { title: string; scenario: string; options?: Partial<HermeticCodexOptions>; refused?: boolean }[] = [
      { title: 'SSE response.failed', scenario: 'response_failed' },
      { title: 'HTTP 500', scenario: 'http_500' },
      { title: 'HTTP 400 (model_not_found)', scenario: 'http_400' },
      { title: 'HTTP 429', scenario: 'http_429' },
      { title: 'stream closed before response.completed', scenario: 'cut' },
      { title: 'SSE idle (stream_idle_timeout_ms=2000)', scenario: 'stall', options: { streamIdleTimeoutMs: 1000 } },
      { title: 'HTTP 401 wrong key (env_key provider)', scenario: 'http_401', options: { envKey: 'MOCK_API_KEY', apiKey: 'sk-wrong-fake-key' } },
      { title: 'connection refused (base_url on a closed port)', scenario: 'demo', refused: true },
      { title: 'missing env_key variable', scenario: 'demo', options: { envKey: 'NOT_SET_ANYWHERE' } },
    ];

    it('has all nine fixture cases', () => {
      expect([...fixtures.keys()].sort()).toEqual(cases.map((c) => c.title).sort());
    });

    it.each(cases)('$title', async ({ title, scenario, options, refused }) => {
      const baseUrl = refused === true ? `http://127.0.0.1:${await closedPort()}/v1` : server.baseUrl;
      // The fixture runs used a model catalog, so they have no metadata warning; neither do these.
      const h = home({ ...options, baseUrl, modelCatalog: true });
      const run = await runCodex(h, `fail please [[scenario:${scenario}]]`, { stalePrevious: 'STALE FROM AN EARLIER RUN' });

      expect(run.code).toBe(1);
      const expected = (fixtures.get(title) ?? []).map((e) =>
        // The 401 message names the request URL, which has this server's port.
        JSON.parse(JSON.stringify(e).replaceAll('http://127.0.0.1:18080/v1', server.baseUrl)) as CodexEvent);
      expect(normalized(run.events)).toEqual(expected);
      expect(run.events.at(-1)?.type).toBe('turn.failed');
      // A failed turn leaves the -o file alone (spec §10): callers must delete it before each run.
      expect(readFileSync(run.lastPath, 'utf8')).toBe('STALE FROM AN EARLIER RUN');

      const reqs = requestsOf(run);
      if (refused === true || options?.envKey === 'NOT_SET_ANYWHERE') {
        expect(reqs).toEqual([]);
      } else {
        // Retries are off: exactly one request per failure.
        expect(reqs.map((r) => r.scenario)).toEqual([scenario]);
      }
      if (options?.apiKey !== undefined) expect(reqs[0]?.headers.authorization).toBe(`Bearer ${options.apiKey}`);
      if (scenario === 'stall') expect(run.durationMs).toBeGreaterThanOrEqual(1000);
    });
  });

  it('no_message: exit 0 and an empty -o file (a stale one is overwritten)', async () => {
    const h = home();
    const run = await runCodex(h, 'say nothing [[scenario:no_message]]', { stalePrevious: 'STALE' });
    expect(run.code).toBe(0);
    expect(readFileSync(run.lastPath, 'utf8')).toBe('');
    expect(run.events.some((e) => e.type === 'item.completed' && (e.item as { type: string }).type === 'agent_message')).toBe(false);
    expect(run.events.at(-1)).toMatchObject({ type: 'turn.completed', usage: { input_tokens: 1200, cached_input_tokens: 200, output_tokens: 34 } });
  });

  it('serves different scenarios to parallel runs sharing one server', async () => {
    const names = ['demo', 'http_500', 'no_message'] as const;
    const runs = await Promise.all(names.map((name) => runCodex(home(), `parallel [[scenario:${name}]]`)));
    expect(runs.map((r) => r.code)).toEqual([0, 1, 0]);
    runs.forEach((run, i) => {
      expect(new Set(requestsOf(run).map((r) => r.scenario))).toEqual(new Set([names[i]]));
    });
    expect(readFileSync(runs[0]?.lastPath ?? '', 'utf8')).toBe(DEMO_RESULT_TEXT);
  });

  it('tool commands see the hermetic environment, not the caller\'s', async () => {
    const h = home();
    const run = await runCodex(h, 'probe [[scenario:env_probe]]');
    expect(run.code).toBe(0);
    const output = run.events
      .filter((e) => e.type === 'item.completed' && (e.item as { type: string }).type === 'command_execution')
      .map((e) => (e.item as { aggregated_output: string }).aggregated_output)
      .join('');
    const env = new Map(output.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env.get('HOME')).toBe(h.home);
    expect(env.get('CODEX_HOME')).toBe(h.codexHome);
    expect(env.get('TMPDIR')).toBe(h.tmpDir);
    expect(env.get('CODEX_CI')).toBe('1');
    expect(env.has('RUST_LOG')).toBe(false);
    // Nothing of the test runner's environment leaks (npx/vitest set many variables).
    expect([...env.keys()].filter((k) => /^(npm_|VITEST|NODE_OPTIONS$)/.test(k))).toEqual([]);
  });

  it('only loopback requests reached the shared server', () => {
    expectOnlyLoopback(server);
    expect(server.requests.every((r) => r.endpoint === 'responses')).toBe(true);
  });
});

describe('ChatGPT-mode auth.json with an expired access token (simple route, §11.4–11.6)', () => {
  /** A server per test, so refresh counts and routes belong to that one run. */
  async function chatgptSetup(oauth: FakeOAuthBehaviour = {}) {
    const s = await startFakeModelServer({ oauth });
    extraServers.push(s);
    const h = home({ chatgptBaseUrl: `${s.url}/backend-api/` }, s);
    return { s, h };
  }

  function expectRefreshedTokens(json: ChatGptAuthJson, before: ChatGptAuthJson): void {
    expect(json.tokens.refresh_token).toBe('rt_fake_refreshed_1');
    expect(json.tokens.access_token).not.toBe(before.tokens.access_token);
    const claims = decodeJwtPayload(json.tokens.access_token);
    expect(claims?.fake_generation).toBe(1);
    expect(Number(claims?.exp) * 1000).toBeGreaterThan(Date.now());
    expect(Date.parse(json.last_refresh ?? '')).toBeGreaterThan(Date.parse(before.last_refresh ?? ''));
  }

  function expectOneProactiveRefreshThenNewBearer(s: FakeModelServer, after: ChatGptAuthJson): void {
    expect(s.refreshCount()).toBe(1);
    const refresh = s.requests.find((r) => r.endpoint === 'oauth_token');
    expect(refresh?.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt_fake_initial', refresh_reason: 'proactive_expiry' });
    const responses = s.requests.filter((r) => r.endpoint === 'responses');
    expect(responses).toHaveLength(2);
    for (const r of responses) {
      expect(r.headers.authorization).toBe(`Bearer ${after.tokens.access_token}`);
      expect(r.headers['chatgpt-account-id']).toBe(after.tokens.account_id);
    }
    // Only the known routes: no chatgpt.com fallbacks, no connector (apps) calls.
    expect(s.requests.filter((r) => r.endpoint === 'other')).toEqual([]);
    expectOnlyLoopback(s);
  }

  it('refreshes exactly once via CODEX_REFRESH_TOKEN_URL_OVERRIDE and rewrites auth.json', async () => {
    const { s, h } = await chatgptSetup();
    expect(h.env.CODEX_REFRESH_TOKEN_URL_OVERRIDE).toBe(`${s.url}/oauth/token`);
    const before = makeChatGptAuthJson({ expired: true });
    const authPath = join(h.codexHome, 'auth.json');
    writeFileSync(authPath, JSON.stringify(before), { mode: 0o600 });

    const run = await runCodex(h, 'demo with chatgpt auth');
    expect(run.code).toBe(0);
    expect(readFileSync(run.lastPath, 'utf8')).toBe(DEMO_RESULT_TEXT);
    const after = JSON.parse(readFileSync(authPath, 'utf8')) as ChatGptAuthJson;
    expectRefreshedTokens(after, before);
    expect(statSync(authPath).mode & 0o777).toBe(0o600);
    expectOneProactiveRefreshThenNewBearer(s, after);
  });

  it('keeps a symlinked auth.json a symlink and writes the new tokens to its target', async () => {
    const { s, h } = await chatgptSetup();
    const sharedDir = join(h.root, 'shared-auth');
    mkdirSync(sharedDir, { mode: 0o700 });
    const target = join(sharedDir, 'auth.json');
    const before = makeChatGptAuthJson({ expired: true });
    writeFileSync(target, JSON.stringify(before), { mode: 0o600 });
    const link = join(h.codexHome, 'auth.json');
    symlinkSync(target, link);

    const run = await runCodex(h, 'demo with a linked auth.json');
    expect(run.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    const after = JSON.parse(readFileSync(target, 'utf8')) as ChatGptAuthJson;
    expectRefreshedTokens(after, before);
    expectOneProactiveRefreshThenNewBearer(s, after);
  });

  it('fails the turn when the refresh is rejected and leaves auth.json alone', async () => {
    const { s, h } = await chatgptSetup({ reject: true });
    const before = makeChatGptAuthJson({ expired: true });
    const authPath = join(h.codexHome, 'auth.json');
    writeFileSync(authPath, JSON.stringify(before), { mode: 0o600 });

    const run = await runCodex(h, 'demo with a revoked refresh token');
    expect(run.code).toBe(1);
    const message = 'Your access token could not be refreshed because your refresh token was revoked. Please log out and sign in again.';
    expect(run.events.at(-1)).toEqual({ type: 'turn.failed', error: { message } });
    expect(JSON.parse(readFileSync(authPath, 'utf8'))).toEqual(before);
    expect(s.refreshCount()).toBeGreaterThanOrEqual(1);
    // The fake rejects the stale bearer like the real service would.
    expect(s.requests.filter((r) => r.endpoint === 'responses').every((r) => r.status === 401)).toBe(true);
    expectOnlyLoopback(s);
  });
});
