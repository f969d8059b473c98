/**
 * Issue 9 (items 1, 2, 4, 6, 8) end to end: `bin/codex-child-mcp` with a real MCP SDK client, the
 * REAL codex binary and the loopback fake model. Planted symlinks under every name a run creates
 * are refused and their targets stay untouched; a variant dir swapped for a symlink while its
 * call is queued gets nothing; two calls on one variant dir run one after the other with their
 * own thread ids; an oversized message stops every run; `CODEX_RUN_DIR` under /proc fails at once.
 *
 * Commands wait for gate files the test creates, never for time, so the order is deterministic.
 * The sandbox is `danger-full-access` (what the server falls back to without bubblewrap): the
 * confinement under test is the server's own, not the sandbox's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurn, startFakeModelServer, type FakeModelServer, type FakeScenarioStep } from '../../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, hermeticWrapperEnv, resolveCodexBinary, type HermeticCodexHome } from '../../src/devtools/hermetic_codex.js';
import { startMcpServer, type McpServerProcess } from '../support/mcp_harness.js';
import { executePayload } from '../support/wrapper_harness.js';

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..');
const WRAPPER = path.join(PACKAGE_ROOT, 'bin', 'codex-wrapper');
const FAKE_KEY = 'sk-fake-confinement-not-a-real-key';
const ARTIST = 'art_loop.run_codex_artist';
const TASK = 'codex.run_task';
const KEEP = 'OUTSIDE FILE, MUST STAY\n';
const codexBin = resolveCodexBinary();

let fake: FakeModelServer;
let home: HermeticCodexHome;
let root: string;
let repo: string;
let runs: string;

const gate = (name: string) => path.join(root, `gate_${name}`);

/** Artist behaviour by run id: `run_gate` waits for its variant's gate and logs start/end. */
function confScenario(arg: string | undefined): FakeScenarioStep[] {
  const v = arg ?? '';
  const run = v.split('/').at(-3) ?? '';
  const variant = v.split('/').at(-1) ?? '';
  switch (run) {
    case 'run_gate':
      return scriptedTurn({
        commands: [`echo "start $CODEX_THREAD_ID" >> order.txt; while [ ! -e ${gate(variant)} ]; do sleep 0.05; done; echo "end $CODEX_THREAD_ID" >> order.txt; printf x > sketch.py; printf PNG > out.png; echo '{"status":"success"}' > artifact.json`],
        exec: { yieldTimeMs: 100_000 },
        result: 'done',
      });
    case 'run_fail':
      return [{ fail: { type: 'response_failed', message: 'scripted failure' } }];
    default:
      return scriptedTurn({ result: 'nothing to do' });
  }
}

beforeAll(async () => {
  fake = await startFakeModelServer({ scenarios: { conf: confScenario }, expectedBearer: FAKE_KEY });
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mcp-conf-')));
  home = createHermeticCodexHome({ baseUrl: fake.baseUrl, parentDir: root, requiresOpenaiAuth: true, modelCatalog: true });
  writeFileSync(path.join(home.codexHome, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: FAKE_KEY }), { mode: 0o600 });
  repo = path.join(root, 'repo');
  runs = path.join(repo, 'sketch/agent_loop/runs');
  mkdirSync(runs, { recursive: true });
  mkdirSync(path.join(repo, '.git'));
  writeFileSync(path.join(root, 'template.md'), 'Draw {{variant_dir}}.\n[[scenario:conf:{{variant_dir}}]]\n');
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.client.close().catch(() => undefined);
  await fake?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

type RunningServer = McpServerProcess;
const servers: RunningServer[] = [];

async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startMcpServer({
    cwd: repo,
    clientName: 'mcp-confinement',
    env: {
      ...home.env,
      CODEX_BIN: codexBin,
      ART_LOOP_PROMPT_TEMPLATE: path.join(root, 'template.md'),
      CODEX_CHILD_SANDBOX: 'danger-full-access',
      CODEX_CHILD_KILL_GRACE_MS: '1000',
      ...extraEnv,
    },
  });
  servers.push(server);
  return server;
}

function makeVariant(run: string, variant: string): string {
  const dir = path.join(runs, run, 'iter_01', variant);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'artist_context.json'), JSON.stringify({ artist_id: 'a', iteration: 1, variant_id: variant, mode: 'exploration' }));
  writeFileSync(path.join(dir, 'creative_brief.json'), '{}');
  return dir;
}

const rel = (dir: string) => path.relative(repo, dir);
type Result = Record<string, unknown> & { status: string; error_summary: string; thread_id?: string };

async function callArtist(server: RunningServer, dir: string, onprogress?: (p: Progress) => void): Promise<{ raw: CallToolResult; r: Result }> {
  const raw = (await server.client.callTool({ name: ARTIST, arguments: { variant_dir: rel(dir), timeout_s: 120 } }, undefined, { timeout: 150_000, ...(onprogress ? { onprogress } : {}) })) as CallToolResult;
  return { raw, r: (raw.structuredContent ?? {}) as Result };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Live processes whose environment or command line mention `needle`. */
function processesReferencing(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle) || readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(needle)) found.push(pid);
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

describe('confinement of the server’s own files', () => {
  it.each(['codex_stdout.txt', 'codex_stderr.txt', 'codex_last_message.md'])('refuses a planted %s symlink and leaves its target untouched', async (name) => {
    const server = await startServer();
    const dir = makeVariant('run_plant', `v1${['codex_stdout.txt', 'codex_stderr.txt', 'codex_last_message.md'].indexOf(name)}`);
    const target = path.join(root, `outside_${name}`);
    writeFileSync(target, KEEP);
    symlinkSync(target, path.join(dir, name));
    const { r } = await callArtist(server, dir);
    expect(r.status).toBe('failed');
    expect(r.error_summary).toBe(`cannot write the codex logs in ${rel(dir)}: refusing to follow a symlink the run did not create: ${path.join(dir, name)}`);
    expect(readFileSync(target, 'utf8')).toBe(KEEP);
    expect(fake.requests.filter((q) => JSON.stringify(q).includes(rel(dir)))).toHaveLength(0);
  });

  it.each(['.codex_home', '.tmp'])('refuses a planted %s symlink and builds nothing outside', async (name) => {
    const server = await startServer();
    const dir = makeVariant('run_plant', name === '.tmp' ? 'v21' : 'v20');
    const target = path.join(root, `outside_dir${name}`);
    mkdirSync(target);
    symlinkSync(target, path.join(dir, name));
    const { r } = await callArtist(server, dir);
    expect(r.status).toBe('failed');
    expect(r.error_summary).toBe(`cannot prepare run dir ${path.join(dir, name)}: refusing to follow a symlink the run did not create: ${path.join(dir, name)}`);
    expect(readdirSync(target)).toEqual([]);
  });

  it('never writes the failure artifact or the error copy through planted links', async () => {
    const server = await startServer();
    const dir = makeVariant('run_fail', 'v01');
    const artifactTarget = path.join(root, 'outside_artifact.json');
    const errorTarget = path.join(root, 'outside_error.log');
    writeFileSync(artifactTarget, KEEP);
    writeFileSync(errorTarget, KEEP);
    symlinkSync(artifactTarget, path.join(dir, 'artifact.json'));
    symlinkSync(errorTarget, path.join(dir, 'codex_error.log'));
    const { r } = await callArtist(server, dir);
    expect(r.status).toBe('failed');
    expect(r.artifact_written_by_server).toBe(false);
    expect(readFileSync(artifactTarget, 'utf8')).toBe(KEEP);
    expect(readFileSync(errorTarget, 'utf8')).toBe(KEEP);
  });

  it('codex.run_task refuses a planted .codex_child symlink', async () => {
    const server = await startServer();
    const workspace = path.join(repo, 'ws_plant');
    const target = path.join(root, 'outside_codex_child');
    mkdirSync(workspace);
    mkdirSync(target);
    symlinkSync(target, path.join(workspace, '.codex_child'));
    const raw = (await server.client.callTool({ name: TASK, arguments: { workspace_dir: 'ws_plant', prompt: 'x [[scenario:demo]]', timeout_s: 60 } })) as CallToolResult;
    expect(raw.isError).toBe(true);
    expect((raw.content[0] as { text: string }).text).toMatch(
      new RegExp(`^cannot create the run directory ${workspace}/\\.codex_child/task_\\w+: refusing to follow a symlink the run did not create: ${workspace}/\\.codex_child$`),
    );
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('pinned variant dirs and one call per dir', () => {
  it('a variant dir swapped for a symlink while its call is queued gets nothing', async () => {
    const server = await startServer({ ART_LOOP_MAX_CONCURRENCY: '1' });
    const first = makeVariant('run_gate', 'v01');
    const second = makeVariant('run_gate', 'v02');
    const target = path.join(root, 'outside_swap');
    mkdirSync(target);
    let firstRunning = false;
    let secondQueued = false;
    const a = callArtist(server, first, (p) => (firstRunning ||= p.message?.startsWith('running: ') ?? false));
    await waitFor(() => firstRunning, 'first call running');
    const b = callArtist(server, second, (p) => (secondQueued ||= p.message?.startsWith('queued') ?? false));
    await waitFor(() => secondQueued, 'second call queued');
    renameSync(second, `${second}.moved`);
    symlinkSync(target, second);
    writeFileSync(gate('v01'), '');
    writeFileSync(gate('v02'), '');
    expect((await a).r.status).toBe('success');
    const { r } = await b;
    expect(r.status).toBe('failed');
    expect(r.error_summary).toBe(`${second} changed since it was checked (replaced or swapped for a symlink); nothing more is done in it`);
    expect(readdirSync(target)).toEqual([]);
  }, 150_000);

  it('a second call on the same variant dir waits for the first; each reports its own thread', async () => {
    const server = await startServer({ ART_LOOP_MAX_CONCURRENCY: '2' });
    const dir = makeVariant('run_gate', 'v03');
    const order = path.join(dir, 'order.txt');
    let firstRunning = false;
    const a = callArtist(server, dir, (p) => (firstRunning ||= p.message?.startsWith('running: ') ?? false));
    await waitFor(() => firstRunning && existsSync(order), 'first call running');
    let secondStarted = false;
    const b = callArtist(server, dir, (p) => (secondStarted ||= p.message === 'started'));
    // The first holds the directory until its gate opens: the second must not start meanwhile.
    // (A free slot exists, so without the lock it would start at once and log "start" too.)
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(secondStarted).toBe(false);
    expect(readFileSync(order, 'utf8').trim().split('\n')).toHaveLength(1);
    writeFileSync(gate('v03'), '');
    const [ra, rb] = [(await a).r, (await b).r];
    expect(ra.status).toBe('success');
    expect(rb.status).toBe('success');
    expect(ra.thread_id).toBeTruthy();
    expect(rb.thread_id).toBeTruthy();
    expect(ra.thread_id).not.toBe(rb.thread_id);
    expect(readFileSync(order, 'utf8').trim().split('\n')).toEqual([`start ${ra.thread_id}`, `end ${ra.thread_id}`, `start ${rb.thread_id}`, `end ${rb.thread_id}`]);
    const events = readFileSync(path.join(dir, 'codex_stdout.txt'), 'utf8');
    expect(events).toContain(rb.thread_id as string);
    expect(events).not.toContain(ra.thread_id as string);
  }, 150_000);
});

describe('transport and run dir failures', () => {
  it('an MCP message over the SDK limit is logged and stops every run', async () => {
    const server = await startServer();
    const dir = makeVariant('run_gate', 'v09'); // its gate is never opened
    let running = false;
    const call = callArtist(server, dir, (p) => (running ||= p.message?.startsWith('running: ') ?? false));
    call.catch(() => undefined);
    await waitFor(() => running, 'call running');
    expect(processesReferencing(dir).length).toBeGreaterThan(0);
    const closed = new Promise<void>((resolve) => (server.client.onclose = () => resolve()));
    const stdin = (server.transport as unknown as { _process: { stdin: NodeJS.WritableStream } })._process.stdin;
    stdin.write('x'.repeat(11 * 1024 * 1024));
    await closed;
    await waitFor(() => processesReferencing(dir).length === 0, 'no process of the run left', 30_000);
    expect(server.stderr()).toContain('transport error: ReadBuffer exceeded maximum size');
    expect(server.stderr()).toMatch(/transport closed after an error \(ReadBuffer exceeded maximum size of \d+ bytes\): stopping 1 call\(s\) in flight/);
  }, 120_000);

  it.each(['/proc/self/x', '/proc/1/codex-run'])('the wrapper fails at once with one line for CODEX_RUN_DIR=%s', (runDir) => {
    const env = { ...hermeticWrapperEnv(home), CODEX_BIN: codexBin, CODEX_API_KEY: FAKE_KEY, CODEX_RUN_DIR: runDir };
    const run = spawnSync(WRAPPER, [], { env, input: executePayload('demo'), encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^cannot prepare run dir ${runDir}: cannot create directory ${runDir}: E[A-Z]+$`))]);
  });
});
