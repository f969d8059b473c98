/**
 * End-to-end tests of `bin/codex-child-mcp`: a real MCP SDK client over stdio, the REAL codex
 * binary (pinned 0.169), and the loopback fake model server running in this test process. The
 * children reach the fake model through the parent CODEX_HOME's config.toml, which the server links
 * into each run home (the production path), and authenticate with a fake API-key auth.json that is
 * symlinked, never copied.
 *
 * The artist "model" is a fake scenario selected by a marker the test template appends to the
 * shipped prompt: `[[scenario:artist:{{variant_dir}}]]`. The scenario reads the run id from the
 * variant path and acts accordingly (write all outputs, fail, stall, sleep, write nothing, …).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RESULT_TEXT, FAKE_ERROR_MESSAGES, scriptedTurn, startFakeModelServer, type FakeModelServer, type FakeScenarioStep } from '../../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, resolveCodexBinary, type HermeticCodexHome } from '../../src/devtools/hermetic_codex.js';
import { MCP_BIN, startMcpServer, type McpServerProcess } from '../support/mcp_harness.js';

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = MCP_BIN;
const FAKE_KEY = 'sk-fake-mcp-e2e-not-a-real-key';
const ARTIST = 'art_loop.run_codex_artist';
const TAIL = 'art_loop.read_text_tail';
const TASK = 'codex.run_task';

// ------------------------------------------------------------------------------------------------
// The artist scenario: behaviour chosen by the run id in the variant path.
// ------------------------------------------------------------------------------------------------

const b64 = (text: string) => Buffer.from(text).toString('base64');

function artifactFor(variantRel: string, status: 'success' | 'failed'): string {
  const parts = variantRel.split('/');
  return `${JSON.stringify({
    artist_id: 'artist-e2e',
    iteration: 1,
    variant_id: parts.at(-1),
    mode: 'exploration',
    status,
    code_ref: `${variantRel}/sketch.py`,
    callable_ref: `${parts.join('.')}.sketch:draw`,
    image_ref: `${variantRel}/out.png`,
    seed: 7,
  })}\n`;
}

/** One shell command that writes every artist output into the cwd (the variant dir with -C). */
function writeOutputs(variantRel: string, options: { status?: 'success' | 'failed'; skipPng?: boolean; gate?: string; probeBoundary?: boolean } = {}): string {
  const name = variantRel.split('/').at(-1) ?? '';
  // Attempts to write outside the variant dir (its parent, /tmp); the outcome is recorded.
  const probe = (target: string, file: string) => `( (echo x > ${target}) 2>/dev/null && echo writable > ${file} || echo blocked > ${file} )`;
  const steps = [
    'date +%s%3N > t_start.txt',
    ...(options.probeBoundary ? [probe('../escaped_$$.txt', 'parent_write.txt'), probe('/tmp/mcp_e2e_escaped_$$.txt', 'tmp_write.txt')] : []),
    // Held until the test creates the gate file: the run's length is the test's choice, not a sleep.
    options.gate ? `while [ ! -e ${options.gate} ]; do sleep 0.05; done` : ':',
    'pwd > pwd.txt',
    `printf '%s' ${name} > who.txt`,
    'printf "%s" "$CODEX_THREAD_ID" > thread.txt',
    "printf 'def draw(t):\\n    return []\\n' > sketch.py",
    options.skipPng ? ':' : 'printf PNG > out.png',
    'echo rendered > stdout.txt',
    ': > stderr.txt',
    `echo ${b64(artifactFor(variantRel, options.status ?? 'success'))} | base64 -d > artifact.json`,
    'date +%s%3N > t_end.txt',
  ];
  return steps.join(' && ');
}

/** The file that releases the run_queue artists' commands. */
const queueGate = () => path.join(root, 'run_queue.gate');

function artistScenario(arg: string | undefined): FakeScenarioStep[] {
  const v = arg ?? '';
  const run = v.split('/').at(-3) ?? '';
  const finalArtifact = (status: 'success' | 'failed') => artifactFor(v, status).trim();
  switch (run) {
    case 'run_ok':
      return scriptedTurn({ commands: [writeOutputs(v, { probeBoundary: true })], result: finalArtifact('success') });
    case 'run_queue':
      return scriptedTurn({ commands: [writeOutputs(v, { gate: queueGate() })], result: finalArtifact('success'), exec: { yieldTimeMs: 120_000 } });
    case 'run_artfail':
      return scriptedTurn({ commands: [writeOutputs(v, { status: 'failed' })], result: finalArtifact('failed') });
    case 'run_nopng':
      return scriptedTurn({ commands: [writeOutputs(v, { skipPng: true })], result: finalArtifact('success') });
    case 'run_silent':
      return scriptedTurn({ result: 'I did nothing at all.' });
    case 'run_fail':
      return [{ fail: { type: 'response_failed', message: FAKE_ERROR_MESSAGES.responseFailed } }];
    case 'run_stall':
      // A background command keeps running (yield after 300 ms), then the model stalls for good.
      return [{ items: [{ type: 'exec', cmd: 'sleep 120', yieldTimeMs: 300 }] }, { fail: { type: 'stall' } }];
    case 'run_sleep':
      return scriptedTurn({ commands: ['sleep 120'], exec: { yieldTimeMs: 125_000 }, result: 'slept' });
    default:
      return [{ items: [{ type: 'message', text: `unknown e2e run ${run}` }] }];
  }
}

// ------------------------------------------------------------------------------------------------
// World: fake model, hermetic parent home, temp git repo with the runs tree.
// ------------------------------------------------------------------------------------------------

let fake: FakeModelServer;
let home: HermeticCodexHome;
let noAuthHome: HermeticCodexHome;
let root: string;
let repo: string;
let runs: string;
let outside: string;
let templatePath: string;
let sandbox: 'workspace-write' | 'danger-full-access';
const codexBin = resolveCodexBinary();

function makeVariant(run: string, variant: string, inputs: { context?: boolean; brief?: boolean } = {}): string {
  const dir = path.join(runs, run, 'iter_01', variant);
  mkdirSync(dir, { recursive: true });
  if (inputs.context !== false) {
    writeFileSync(
      path.join(dir, 'artist_context.json'),
      JSON.stringify({ run_id: run, iteration: 1, variant_id: variant, artist_id: `artist-${variant}`, mode: 'exploration', creative_brief: {}, critic_feedback_prev: null }),
    );
  }
  if (inputs.brief !== false) {
    writeFileSync(path.join(dir, 'creative_brief.json'), JSON.stringify({ title: 't', context: 'c', intent: 'i', canvas: { w: 64, h: 64 }, colors: {} }));
  }
  return dir;
}

const rel = (dir: string) => path.relative(repo, dir).split(path.sep).join('/');

/**
 * Does `workspace-write` run commands here (bubblewrap needs user namespaces)? Asynchronous on
 * purpose: the fake model answers from this very event loop.
 */
async function probeSandbox(): Promise<'workspace-write' | 'danger-full-access'> {
  const forced = process.env.MCP_E2E_SANDBOX;
  if (forced === 'danger-full-access' || forced === 'workspace-write') return forced;
  const work = mkdtempSync(path.join(home.root, 'probe-'));
  const child = spawn(codexBin, ['exec', '--json', '--skip-git-repo-check', '-C', work, '-s', 'workspace-write', '[[scenario:demo]]'], {
    env: { ...home.env, CODEX_API_KEY: FAKE_KEY },
    stdio: 'ignore',
    detached: true,
  });
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 20_000);
  await new Promise((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  return existsSync(path.join(work, 'a.txt')) ? 'workspace-write' : 'danger-full-access';
}

beforeAll(async () => {
  fake = await startFakeModelServer({ scenarios: { artist: artistScenario }, expectedBearer: FAKE_KEY });
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mcp-e2e-')));
  home = createHermeticCodexHome({ baseUrl: fake.baseUrl, parentDir: root, requiresOpenaiAuth: true, modelCatalog: true });
  writeFileSync(path.join(home.codexHome, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: FAKE_KEY }), { mode: 0o600 });
  noAuthHome = createHermeticCodexHome({ baseUrl: fake.baseUrl, parentDir: root, requiresOpenaiAuth: true, modelCatalog: true });
  sandbox = await probeSandbox();

  repo = path.join(root, 'repo');
  runs = path.join(repo, 'sketch/agent_loop/runs');
  outside = path.join(root, 'outside');
  mkdirSync(runs, { recursive: true });
  mkdirSync(path.join(outside, 'run_x/iter_01/v01'), { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: repo });
  mkdirSync(path.join(repo, '.agents/skills/grafix-art-loop-artist'), { recursive: true });
  writeFileSync(path.join(repo, '.agents/skills/grafix-art-loop-artist/SKILL.md'), '---\nname: grafix-art-loop-artist\ndescription: e2e-artist-skill-description\n---\ne2e-artist-skill-body: draw one variant.\n');
  templatePath = path.join(root, 'artist_prompt_e2e.md');
  writeFileSync(templatePath, `${readFileSync(path.join(PACKAGE_ROOT, 'templates/art_loop_artist_prompt.md'), 'utf8')}\n[[scenario:artist:{{variant_dir}}]]\n`);
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  await fake?.close();
  // MCP_E2E_KEEP=1 keeps the temp tree (logs of every child) for debugging.
  if (root && process.env.MCP_E2E_KEEP !== '1') rmSync(root, { recursive: true, force: true });
});

// ------------------------------------------------------------------------------------------------
// Server processes
// ------------------------------------------------------------------------------------------------

type RunningServer = McpServerProcess;

const servers: RunningServer[] = [];

async function startServer(extraEnv: Record<string, string> = {}, codexHome: HermeticCodexHome = home): Promise<RunningServer> {
  const running = await startMcpServer({
    cwd: repo,
    clientName: 'mcp-e2e',
    env: {
      ...codexHome.env,
      CODEX_BIN: codexBin,
      ART_LOOP_PROMPT_TEMPLATE: templatePath,
      CODEX_CHILD_SANDBOX: sandbox,
      CODEX_CHILD_KILL_GRACE_MS: '1000',
      ...extraEnv,
    },
  });
  servers.push(running);
  return running;
}

let main: RunningServer;
const mainServer = async () => (main ??= await startServer());

type ArtistResult = Record<string, unknown> & { status: string; error_summary: string; thread_id?: string };

async function callArtist(server: RunningServer, variantDir: string, extra: Record<string, unknown> = {}, options: { onprogress?: (p: Progress) => void; signal?: AbortSignal } = {}) {
  const result = (await server.client.callTool({ name: ARTIST, arguments: { variant_dir: variantDir, ...extra } }, undefined, { timeout: 120_000, ...options })) as CallToolResult;
  return result;
}

function structured(result: CallToolResult): ArtistResult {
  expect(result.structuredContent).toBeDefined();
  const text = (result.content[0] as { text: string }).text;
  expect(JSON.parse(text)).toEqual(result.structuredContent);
  return result.structuredContent as ArtistResult;
}

function textOf(result: CallToolResult): string {
  return (result.content[0] as { text: string }).text;
}

/** Every file and directory under `dir` (relative), for "nothing was created" checks. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      out.push(path.relative(dir, full));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** Live processes whose command line or environment mention `needle` (zombies have neither). */
function processesReferencing(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (environ.includes(needle) || cmdline.includes(needle)) found.push(`${pid}: ${cmdline.replace(/\0/g, ' ')}`);
    } catch {
      // gone meanwhile, or not readable
    }
  }
  return found;
}

async function expectNoProcessesFor(dir: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let left = processesReferencing(dir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesReferencing(dir);
  }
  expect(left).toEqual([]);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The error summary plus the tails of the child's logs, as an assertion message. */
function failureDetail(dir: string, result: ArtistResult): string {
  const tail = (name: string) => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), 'utf8').slice(-1500) : '(missing)');
  return `${result.error_summary}\n--- codex_stderr.txt ---\n${tail('codex_stderr.txt')}\n--- codex_stdout.txt ---\n${tail('codex_stdout.txt')}`;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

// ------------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------------

describe('codex-child-mcp over stdio', () => {
  it('lists the three tools with typed input and output schemas', async () => {
    const server = await mainServer();
    const { tools } = await server.client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([TASK, ARTIST, TAIL].sort());
    expect(byName[ARTIST]?.inputSchema).toMatchObject({
      type: 'object',
      properties: { variant_dir: { type: 'string' }, timeout_s: { type: 'integer', minimum: 1, default: 900 } },
      required: ['variant_dir'],
    });
    expect(byName[ARTIST]?.outputSchema).toMatchObject({
      type: 'object',
      properties: {
        status: { enum: ['success', 'failed'] },
        timed_out: { type: 'boolean' },
        cancelled: { type: 'boolean' },
        artifact_written_by_server: { type: 'boolean' },
      },
    });
    const artistRequired = (byName[ARTIST]?.outputSchema as { required: string[] }).required;
    for (const field of ['status', 'elapsed_ms', 'server_queue_ms', 'variant_dir', 'artifact_json_path', 'stdout_path', 'stderr_path', 'codex_last_message_path', 'codex_stdout_path', 'codex_stderr_path', 'error_summary', 'timed_out', 'cancelled', 'exit_code']) {
      expect(artistRequired).toContain(field);
    }
    expect(byName[TAIL]?.inputSchema).toMatchObject({ properties: { path: { type: 'string' }, max_chars: { type: 'integer', default: 4000 } }, required: ['path'] });
    expect(byName[TASK]?.inputSchema).toMatchObject({
      properties: { workspace_dir: { type: 'string' }, prompt: { type: 'string' }, timeout_s: { type: 'integer' }, sandbox: { enum: ['read-only', 'workspace-write', 'danger-full-access'] }, model: { type: 'string' } },
    });
    expect((byName[TASK]?.inputSchema as { required: string[] }).required.sort()).toEqual(['prompt', 'timeout_s', 'workspace_dir']);
    expect(server.stderr()).toContain('[codex-child-mcp] ready:');
  });

  it('runs four variants in parallel without mixing their files, with progress', async () => {
    const server = await mainServer();
    const dirs = ['v01', 'v02', 'v03', 'v04'].map((v) => makeVariant('run_ok', v));
    const progress: Progress[] = [];
    const results = await Promise.all(
      dirs.map((dir, i) => callArtist(server, i % 2 === 0 ? rel(dir) : dir, { timeout_s: 60 }, i === 0 ? { onprogress: (p) => progress.push(p) } : {})),
    );
    const threadIds = new Set<string>();
    results.forEach((result, i) => {
      const dir = dirs[i] as string;
      const r = structured(result);
      expect(result.isError, failureDetail(dir, r)).toBe(false);
      expect(r).toMatchObject({
        status: 'success',
        variant_dir: rel(dir),
        artifact_json_path: `${rel(dir)}/artifact.json`,
        stdout_path: `${rel(dir)}/stdout.txt`,
        stderr_path: `${rel(dir)}/stderr.txt`,
        codex_stdout_path: `${rel(dir)}/codex_stdout.txt`,
        codex_stderr_path: `${rel(dir)}/codex_stderr.txt`,
        codex_last_message_path: `${rel(dir)}/codex_last_message.md`,
        timed_out: false,
        cancelled: false,
        exit_code: 0,
        error_summary: '',
        artifact_written_by_server: false,
      });
      expect(r.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
      const threadId = r.thread_id as string;
      threadIds.add(threadId);
      // Each variant's files are its own: cwd, name, thread id, logs.
      expect(readFileSync(path.join(dir, 'pwd.txt'), 'utf8').trim()).toBe(dir);
      expect(readFileSync(path.join(dir, 'who.txt'), 'utf8')).toBe(path.basename(dir));
      expect(readFileSync(path.join(dir, 'thread.txt'), 'utf8')).toBe(threadId);
      const stdoutLog = readFileSync(path.join(dir, 'codex_stdout.txt'), 'utf8');
      expect(stdoutLog).toContain(`"thread_id":"${threadId}"`);
      expect(readJson(path.join(dir, 'artifact.json'))).toMatchObject({ variant_id: path.basename(dir), status: 'success' });
      expect(readFileSync(path.join(dir, 'codex_last_message.md'), 'utf8')).toContain('"status":"success"');
      // Isolation: per-variant CODEX_HOME and TMPDIR, credentials by symlink (never a copy).
      expect(existsSync(path.join(dir, '.codex_home/config.toml'))).toBe(true);
      expect(readFileSync(path.join(dir, '.codex_home/auth.json'), 'utf8')).toContain(FAKE_KEY);
      expect(realpathSync(path.join(dir, '.codex_home/auth.json'))).toBe(realpathSync(path.join(home.codexHome, 'auth.json')));
      expect(existsSync(path.join(dir, '.tmp'))).toBe(true);
      // With workspace-write and -C <variant_dir>, the sandbox itself keeps writes inside.
      if (sandbox === 'workspace-write') {
        expect(readFileSync(path.join(dir, 'parent_write.txt'), 'utf8').trim()).toBe('blocked');
        expect(readFileSync(path.join(dir, 'tmp_write.txt'), 'utf8').trim()).toBe('blocked');
      }
    });
    expect(readdirSync(path.join(runs, 'run_ok/iter_01')).sort()).toEqual(['v01', 'v02', 'v03', 'v04']);
    expect(threadIds.size).toBe(4);
    for (const dir of dirs) {
      const log = readFileSync(path.join(dir, 'codex_stdout.txt'), 'utf8');
      for (const other of threadIds) if (other !== readFileSync(path.join(dir, 'thread.txt'), 'utf8')) expect(log).not.toContain(other);
    }
    // The prompt the model saw is the shipped template, rendered for that variant.
    const prompts = fake.requests.filter((r) => r.scenario === 'artist').map((r) => JSON.stringify(r.body));
    expect(prompts.some((p) => p.includes('$grafix-art-loop-artist') && p.includes(`- variant_dir: ${rel(dirs[0] as string)}`))).toBe(true);
    // codex found the repo's skill from the variant dir (-C is a subfolder of the git repo): its
    // description is listed and, since the prompt invokes `$grafix-art-loop-artist`, its body sent.
    expect(prompts.every((p) => p.includes('e2e-artist-skill-description') && p.includes('e2e-artist-skill-body'))).toBe(true);
    // Progress: started, the command, finished.
    const messages = progress.map((p) => p.message ?? '');
    expect(messages).toContain('started');
    expect(messages.some((m) => m.startsWith('running: '))).toBe(true);
    expect(messages.at(-1)).toBe('finished: success');
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
  });

  it('reads log tails (code points, missing files, refusals) without waiting behind runs', async () => {
    const server = await mainServer();
    const dir = path.join(runs, 'run_ok/iter_01/v01');
    writeFileSync(path.join(dir, 'utf8.txt'), 'ログの末尾です😀');
    const tail = async (args: Record<string, unknown>) => (await server.client.callTool({ name: TAIL, arguments: args })) as CallToolResult;
    expect(textOf(await tail({ path: `${rel(dir)}/utf8.txt`, max_chars: 3 }))).toBe('です😀');
    const log = await tail({ path: path.join(dir, 'codex_stdout.txt') });
    expect(log.isError).toBe(false);
    expect(textOf(log)).toContain('turn.completed');
    expect(await tail({ path: `${rel(dir)}/nothing-here.txt` })).toMatchObject({ isError: false, content: [{ type: 'text', text: '' }] });
    expect(await tail({ path: '/etc/passwd' })).toMatchObject({ isError: true, content: [{ text: `path must be under ${runs}: /etc/passwd` }] });
    expect(await tail({ path: rel(dir) })).toMatchObject({ isError: true, content: [{ text: `path is a directory, not a file: ${dir}` }] });
    expect(await tail({ path: rel(dir), max_chars: 0 })).toMatchObject({ isError: true, content: [{ text: 'max_chars must be a positive integer' }] });
  });

  it('refuses every path attack with a one-line message and creates nothing', async () => {
    const server = await mainServer();
    makeVariant('run_attack', 'v01');
    writeFileSync(path.join(runs, 'run_attack/iter_01/file.txt'), 'not a dir');
    symlinkSync(outside, path.join(runs, 'escape'));
    symlinkSync(path.join(outside, 'run_x/iter_01/v01'), path.join(runs, 'run_attack/iter_01/v02'));
    const before = tree(root);
    const under = `path must be under ${runs}: `;
    const shape = `variant_dir must be <run_id>/iter_XX/vYY under ${runs}: `;
    const cases: [unknown, string][] = [
      ['sketch/agent_loop/runs/run_attack/iter_01/v01/../../../../../../../outside/run_x/iter_01/v01', `${under}${path.join(outside, 'run_x/iter_01/v01')}`],
      [path.join(outside, 'run_x/iter_01/v01'), `${under}${path.join(outside, 'run_x/iter_01/v01')}`],
      ['/etc', `${under}/etc`],
      ['sketch/agent_loop/runs/escape/run_x/iter_01/v01', `${under}${path.join(outside, 'run_x/iter_01/v01')}`],
      ['sketch/agent_loop/runs/run_attack/iter_01/v02', `${under}${path.join(outside, 'run_x/iter_01/v01')}`],
      ['sketch/agent_loop/runs', `${under}${runs}`],
      [runs, `${under}${runs}`],
      ['sketch/agent_loop/runs/run_attack', `${shape}${path.join(runs, 'run_attack')}`],
      ['sketch/agent_loop/runs/run_attack/iter_01', `${shape}${path.join(runs, 'run_attack/iter_01')}`],
      ['sketch/agent_loop/runs/run_attack/iter_01/file.txt', `variant_dir not found: ${path.join(runs, 'run_attack/iter_01/file.txt')}`],
      ['sketch/agent_loop/runs/run_attack/iter_01/v99', `variant_dir not found: ${path.join(runs, 'run_attack/iter_01/v99')}`],
      ['sketch/agent_loop/runs/run_attack/iter_01/v01\0', 'variant_dir must not contain NUL bytes'],
      ['   ', 'variant_dir is required'],
      [42, 'variant_dir is required'],
    ];
    for (const [variantDir, message] of cases) {
      const result = await callArtist(server, variantDir as string);
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(textOf(result)).toBe(message);
    }
    for (const timeout of [true, 1.5, 0, -1, '60']) {
      const result = await callArtist(server, 'sketch/agent_loop/runs/run_attack/iter_01/v01', { timeout_s: timeout });
      expect(textOf(result)).toBe('timeout_s must be a positive integer');
      expect(result.isError).toBe(true);
    }
    const missingArg = (await server.client.callTool({ name: ARTIST, arguments: {} })) as CallToolResult;
    expect(missingArg).toMatchObject({ isError: true, content: [{ text: 'variant_dir is required' }] });
    expect(tree(root)).toEqual(before);
  });

  it('leaves an artifact.json after every kind of failure, never replacing the artist’s', async () => {
    const server = await mainServer();
    const failDir = makeVariant('run_fail', 'v01');
    const silentDir = makeVariant('run_silent', 'v01');
    const artFailDir = makeVariant('run_artfail', 'v01');
    const noPngDir = makeVariant('run_nopng', 'v01');
    const noInputDir = makeVariant('run_inputs', 'v02', { brief: false });
    const noContextDir = makeVariant('run_inputs', 'v03', { context: false, brief: false });
    const [fail, silent, artFail, noPng, noInput, noContext] = await Promise.all(
      [failDir, silentDir, artFailDir, noPngDir, noInputDir, noContextDir].map((dir) => callArtist(server, rel(dir), { timeout_s: 60 })),
    );

    const f = structured(fail as CallToolResult);
    expect(fail?.isError).toBe(true);
    expect(f).toMatchObject({ status: 'failed', exit_code: 1, timed_out: false, cancelled: false, artifact_written_by_server: true });
    expect(f.error_summary).toBe(`codex turn failed: stream disconnected before completion: ${FAKE_ERROR_MESSAGES.responseFailed}`);
    expect(readJson(path.join(failDir, 'artifact.json'))).toEqual({
      artist_id: 'artist-v01',
      iteration: 1,
      variant_id: 'v01',
      mode: 'exploration',
      status: 'failed',
      code_ref: `${rel(failDir)}/sketch.py`,
      callable_ref: 'sketch.agent_loop.runs.run_fail.iter_01.v01.sketch:draw',
      image_ref: `${rel(failDir)}/out.png`,
      seed: 0,
    });

    expect(structured(silent as CallToolResult)).toMatchObject({ status: 'failed', exit_code: 0, artifact_written_by_server: true, error_summary: 'the artist wrote no artifact.json' });
    expect(readJson(path.join(silentDir, 'artifact.json'))).toMatchObject({ status: 'failed', variant_id: 'v01' });

    expect(structured(artFail as CallToolResult)).toMatchObject({ status: 'failed', exit_code: 0, artifact_written_by_server: false, error_summary: 'artifact.json has status "failed", not "success"' });
    expect(readJson(path.join(artFailDir, 'artifact.json'))).toMatchObject({ artist_id: 'artist-e2e', seed: 7, status: 'failed' });

    expect(structured(noPng as CallToolResult)).toMatchObject({ status: 'failed', artifact_written_by_server: false, error_summary: 'artifact.json says success but out.png missing' });

    expect(structured(noInput as CallToolResult)).toMatchObject({
      status: 'failed',
      exit_code: null,
      server_queue_ms: null,
      artifact_written_by_server: true,
      error_summary: `missing input file: ${rel(noInputDir)}/creative_brief.json`,
    });
    expect(structured(noContext as CallToolResult).error_summary).toBe(`missing input files: ${rel(noContextDir)}/artist_context.json, ${rel(noContextDir)}/creative_brief.json`);
    // Without a context the failure Artifact is derived from the directory names.
    expect(readJson(path.join(noContextDir, 'artifact.json'))).toMatchObject({ artist_id: '', iteration: 1, variant_id: 'v03', mode: 'exploration', status: 'failed' });
    for (const dir of [failDir, silentDir, artFailDir, noPngDir, noInputDir, noContextDir]) {
      for (const log of ['codex_stdout.txt', 'codex_stderr.txt', 'artifact.json']) expect(existsSync(path.join(dir, log)), `${dir}/${log}`).toBe(true);
    }
  });

  it('fails fast without credentials, still writing the artifact and the codex logs', async () => {
    const server = await startServer({}, noAuthHome);
    const dir = makeVariant('run_auth', 'v01');
    const result = await callArtist(server, rel(dir), { timeout_s: 30 });
    const r = structured(result);
    expect(r).toMatchObject({ status: 'failed', exit_code: null, artifact_written_by_server: true });
    expect(r.error_summary).toMatch(/^codex auth not found\. Run `codex login`\./);
    for (const file of ['codex_stdout.txt', 'codex_stderr.txt', 'codex_last_message.md', 'artifact.json']) expect(existsSync(path.join(dir, file))).toBe(true);
    expect(fake.requests.some((req) => JSON.stringify(req.body ?? '').includes(rel(dir)))).toBe(false);
  });

  it('times out a stalled model and kills the whole process tree', async () => {
    const server = await mainServer();
    const dir = makeVariant('run_stall', 'v01');
    const result = await callArtist(server, rel(dir), { timeout_s: 3 });
    const r = structured(result);
    expect(r).toMatchObject({ status: 'failed', timed_out: true, cancelled: false, exit_code: null, artifact_written_by_server: true });
    expect(r.error_summary).toMatch(/^timed out after 3 s/);
    expect(readFileSync(path.join(dir, 'codex_stdout.txt'), 'utf8')).toContain('sleep 120');
    await expectNoProcessesFor(dir);
    expect(readJson(path.join(dir, 'artifact.json'))).toMatchObject({ status: 'failed' });
  });

  it('cancels a running child when the client aborts, killing its command too', async () => {
    const server = await mainServer();
    const dir = makeVariant('run_sleep', 'v01');
    const controller = new AbortController();
    const call = callArtist(server, rel(dir), { timeout_s: 120 }, {
      signal: controller.signal,
      onprogress: (p) => {
        if (p.message?.startsWith('running: ')) controller.abort('test cancels');
      },
    });
    await expect(call).rejects.toThrow();
    // The server finishes the call in the background: tree killed, then the failure artifact
    // (which appears atomically, complete).
    await waitFor(() => existsSync(path.join(dir, 'artifact.json')), 30_000);
    await expectNoProcessesFor(dir);
    expect(readJson(path.join(dir, 'artifact.json'))).toMatchObject({ status: 'failed', variant_id: 'v01' });
    await waitFor(() => /run_codex_artist sketch\/agent_loop\/runs\/run_sleep\/iter_01\/v01: failed \(cancelled by the client/.test(main.stderr()), 30_000);
  });

  it('queues calls beyond ART_LOOP_MAX_CONCURRENCY in FIFO order, never more than 2 at once', async () => {
    const server = await startServer({ ART_LOOP_MAX_CONCURRENCY: '2' });
    const dirs = ['v01', 'v02', 'v03', 'v04'].map((v) => makeVariant('run_queue', v));
    const progress: Progress[][] = dirs.map(() => []);
    const results: ArtistResult[] = [];
    const queuedSeenAt: number[] = [];
    const calls = dirs.map((dir, i) =>
      callArtist(server, rel(dir), { timeout_s: 60 }, {
        onprogress: (p) => {
          progress[i]?.push(p);
          if (p.message?.startsWith('queued (position')) queuedSeenAt[i] ??= Date.now();
        },
      }).then((result) => {
        results[i] = structured(result);
      }),
    );
    // Two calls run their (gated) command, two wait in the queue: no artist can finish yet.
    const running = () => progress.filter((messages) => messages.some((p) => p.message?.startsWith('running: '))).length;
    await waitFor(() => running() === 2 && queuedSeenAt.filter((t) => t !== undefined).length === 2, 60_000);
    // read_text_tail answers while both slots are busy and calls are queued: it never waits behind runs.
    const tail = (await server.client.callTool({ name: TAIL, arguments: { path: `${rel(dirs[0] as string)}/artist_context.json` } })) as CallToolResult;
    expect(tail.isError).toBeFalsy();
    expect(results.filter(Boolean)).toHaveLength(0);
    expect(running()).toBe(2);
    const gateOpenedAt = Date.now();
    writeFileSync(queueGate(), '');
    await Promise.all(calls);
    results.forEach((r, i) => expect(r.status, failureDetail(dirs[i] as string, r)).toBe('success'));
    // A queued call was queued before the client heard of it and left the queue after the gate
    // opened, so its real wait is at least the time between the two (order, not speed).
    queuedSeenAt.forEach((seenAt, i) => {
      if (seenAt !== undefined) expect(results[i]?.server_queue_ms as number).toBeGreaterThanOrEqual(gateOpenedAt - seenAt - 2);
    });
    // At most two artist commands overlapped in time (timestamps written by the commands).
    const spans = dirs.map((dir) => [Number(readFileSync(path.join(dir, 't_start.txt'), 'utf8')), Number(readFileSync(path.join(dir, 't_end.txt'), 'utf8'))] as const);
    for (const [start] of spans) expect(spans.filter(([s, e]) => s <= start && start < e).length).toBeLessThanOrEqual(2);
    // The calls that waited were told their queue position, then that they started.
    const waited = progress.filter((messages) => messages.some((p) => /^queued \(position [12]\)$/.test(p.message ?? '')));
    expect(waited.length, JSON.stringify(progress)).toBe(2);
    for (const messages of progress) expect(messages.map((p) => p.message)).toContain('started');
    await server.close();
  });

  it('stops running children and exits when its stdin closes', async () => {
    const server = await startServer();
    const dir = makeVariant('run_sleep', 'v02');
    let running = false;
    const call = callArtist(server, rel(dir), { timeout_s: 120 }, { onprogress: (p) => (running ||= p.message?.startsWith('running: ') ?? false) });
    call.catch(() => undefined);
    await waitFor(() => running, 20_000);
    const pid = server.transport.pid as number;
    expect(processesReferencing(dir).length).toBeGreaterThan(0);
    await server.close(); // ends the server's stdin; the SDK waits up to 2 s before SIGTERM
    await expectNoProcessesFor(dir);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(readJson(path.join(dir, 'artifact.json'))).toMatchObject({ status: 'failed' });
    expect(server.stderr()).toContain('stdin closed: stopping 1 call(s) in flight');
  });

  it('stops running children and exits on SIGTERM', async () => {
    const server = await startServer();
    const dir = makeVariant('run_sleep', 'v03');
    let running = false;
    const call = callArtist(server, rel(dir), { timeout_s: 120 }, { onprogress: (p) => (running ||= p.message?.startsWith('running: ') ?? false) });
    call.catch(() => undefined);
    await waitFor(() => running, 20_000);
    const pid = server.transport.pid as number;
    const closed = new Promise<void>((resolve) => {
      server.client.onclose = () => resolve();
    });
    process.kill(pid, 'SIGTERM');
    await closed;
    await expectNoProcessesFor(dir);
    expect(readJson(path.join(dir, 'artifact.json'))).toMatchObject({ status: 'failed' });
    expect(server.stderr()).toContain('SIGTERM: stopping 1 call(s) in flight');
    expect(server.stderr()).toMatch(/run_codex_artist .*run_sleep\/iter_01\/v03: failed \(cancelled: the MCP server is shutting down/);
  });

  it('codex.run_task runs a prompt in a workspace under CODEX_CHILD_ROOT and refuses others', async () => {
    const server = await mainServer();
    const workspace = path.join(repo, 'work');
    mkdirSync(workspace, { recursive: true });
    const result = (await server.client.callTool({ name: TASK, arguments: { workspace_dir: 'work', prompt: 'Create a.txt [[scenario:demo]]', timeout_s: 60 } })) as CallToolResult;
    const r = structured(result);
    expect(result.isError, r.error_summary).toBe(false);
    expect(r).toMatchObject({ status: 'success', workspace_dir: workspace, exit_code: 0, timed_out: false, cancelled: false, final_message: DEMO_RESULT_TEXT, final_message_truncated: false, error_summary: '' });
    const runDir = r.run_dir as string;
    expect(path.dirname(runDir)).toBe(path.join(workspace, '.codex_child'));
    expect(readFileSync(path.join(workspace, '.codex_child/.gitignore'), 'utf8')).toBe('*\n');
    expect(readFileSync(path.join(workspace, 'a.txt'), 'utf8')).toBe('hello from codex\n');
    expect(readFileSync(r.codex_stdout_path as string, 'utf8')).toContain(r.thread_id as string);
    expect(existsSync(path.join(runDir, '.codex_home/auth.json'))).toBe(true);

    const before = tree(root);
    const refused = (await server.client.callTool({ name: TASK, arguments: { workspace_dir: outside, prompt: 'x', timeout_s: 5 } })) as CallToolResult;
    expect(refused).toMatchObject({ isError: true, content: [{ text: `workspace_dir must be under ${repo}: ${outside}` }] });
    const noTimeout = (await server.client.callTool({ name: TASK, arguments: { workspace_dir: 'work', prompt: 'x' } })) as CallToolResult;
    expect(noTimeout).toMatchObject({ isError: true, content: [{ text: 'timeout_s is required' }] });
    expect(tree(root)).toEqual(before);
  });

  it('refuses to start with an invalid ART_LOOP_MAX_CONCURRENCY', () => {
    const run = spawnSync(BIN, [], { cwd: repo, env: { ...home.env, ART_LOOP_MAX_CONCURRENCY: 'lots' }, input: '', encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual(['[codex-child-mcp] cannot start: ART_LOOP_MAX_CONCURRENCY must be a positive integer, got "lots"']);
  });
});

