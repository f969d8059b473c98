/**
 * The pinned REAL codex (0.169) as the MCP host, hermetic, against the loopback fake model:
 * `codex-child-mcp setup codex` writes the entry into a fake CODEX_HOME, then a plain outer
 * `codex exec` runs. Its fake model calls the artist tool by the name codex exposes
 * (namespace `mcp__art_loop`, tool `art_loop_run_codex_artist`); the server runs the child codex
 * (also against the fake model). Also: the host's `tool_timeout_sec` fires → codex sends
 * `notifications/cancelled` → the server stops the child, writes the failure artifact, and
 * nothing of the run survives.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify, type TomlTable } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurn, startFakeModelServer, toolOutputsOf, type FakeModelServer, type FakeScenarioStep } from '../../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, resolveCodexBinary, type HermeticCodexHome } from '../../src/devtools/hermetic_codex.js';
import { commandLine, processesWithEnv, waitFor } from '../support/process_probe.js';

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(PACKAGE_ROOT, 'bin', 'codex-child-mcp');
const FAKE_KEY = 'sk-fake-real-host-not-a-real-key';
const NAMESPACE = 'mcp__art_loop';
const EXPOSED_ARTIST = 'art_loop_run_codex_artist';
const codexBin = resolveCodexBinary();

let fake: FakeModelServer;
let root: string;
const homes: HermeticCodexHome[] = [];
const outers: ChildProcess[] = [];

/** The outer model: call the artist tool once, then report what it returned (or stall). */
function hostScenario(arg: string | undefined): FakeScenarioStep[] {
  const [variant = '', then = 'report'] = (arg ?? '').split('|');
  const call: FakeScenarioStep = {
    items: [
      {
        type: 'raw',
        item: { type: 'function_call', id: 'fc_host_1', status: 'completed', namespace: NAMESPACE, name: EXPOSED_ARTIST, call_id: 'call_host_1', arguments: JSON.stringify({ variant_dir: variant, timeout_s: 300 }) },
      },
    ],
  };
  const after: FakeScenarioStep = then === 'stall' ? { fail: { type: 'stall' } } : { items: [{ type: 'message', text: (ctx) => `TOOL SAID: ${ctx.toolOutputs.join('\n')}` }] };
  return [call, after];
}

/** The child (artist) model: write the outputs, or sleep far beyond any timeout. */
function artistScenario(arg: string | undefined): FakeScenarioStep[] {
  const variantRel = arg ?? '';
  if (variantRel.includes('/run_sleep/')) return scriptedTurn({ commands: ['sleep 300'], exec: { yieldTimeMs: 305_000 }, result: 'slept' });
  const artifact = { artist_id: 'a', iteration: 1, variant_id: 'v01', mode: 'exploration', status: 'success', code_ref: `${variantRel}/sketch.py`, callable_ref: 'x.sketch:draw', image_ref: `${variantRel}/out.png`, seed: 1 };
  const b64 = Buffer.from(`${JSON.stringify(artifact)}\n`).toString('base64');
  const write = ["printf 'def draw(t):\\n    return []\\n' > sketch.py", 'printf PNG > out.png', 'echo rendered > stdout.txt', ': > stderr.txt', `echo ${b64} | base64 -d > artifact.json`].join(' && ');
  return scriptedTurn({ commands: [write], result: JSON.stringify(artifact) });
}

beforeAll(async () => {
  fake = await startFakeModelServer({ scenarios: { host: hostScenario, artist: artistScenario }, expectedBearer: FAKE_KEY });
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mcp-real-host-')));
});

afterAll(async () => {
  for (const outer of outers) if (outer.exitCode === null && outer.pid !== undefined) try { process.kill(-outer.pid, 'SIGKILL'); } catch { /* gone */ }
  await fake?.close();
  for (const home of homes) home.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface World {
  home: HermeticCodexHome;
  repo: string;
  variantRel: string;
  variantDir: string;
  env: Record<string, string>;
}

/** A hermetic home (optionally with a `codex mcp add` entry first), a repo with one variant, then `setup codex`. */
function makeWorld(run: string, options: { mcpAddFirst?: boolean; marker?: string } = {}): World {
  const home = createHermeticCodexHome({ baseUrl: fake.baseUrl, parentDir: root, requiresOpenaiAuth: true, modelCatalog: true, streamIdleTimeoutMs: 300_000 });
  homes.push(home);
  writeFileSync(path.join(home.codexHome, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: FAKE_KEY }), { mode: 0o600 });
  const repo = path.join(home.root, 'repo');
  const variantRel = `sketch/agent_loop/runs/${run}/iter_01/v01`;
  const variantDir = path.join(repo, variantRel);
  mkdirSync(variantDir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: repo });
  writeFileSync(path.join(variantDir, 'artist_context.json'), JSON.stringify({ run_id: run, iteration: 1, variant_id: 'v01' }));
  writeFileSync(path.join(variantDir, 'creative_brief.json'), JSON.stringify({ title: 't' }));
  const template = path.join(home.root, 'artist_prompt.md');
  writeFileSync(template, `${readFileSync(path.join(PACKAGE_ROOT, 'templates/art_loop_artist_prompt.md'), 'utf8')}\n[[scenario:artist:{{variant_dir}}]]\n`);
  // Forwarded to the server through the entry's env_vars (codex filters the environment).
  const env = { ...home.env, ART_LOOP_PROMPT_TEMPLATE: template, CODEX_CHILD_SANDBOX: 'danger-full-access', CODEX_BIN: codexBin };
  if (options.mcpAddFirst) {
    const add = spawnSync(codexBin, ['mcp', 'add', 'art-loop', '--env', 'KEEP_ME=from-mcp-add', '--', 'codex-child-mcp'], { env, encoding: 'utf8' });
    expect(add.status, add.stderr).toBe(0);
    expect(readFileSync(path.join(home.codexHome, 'config.toml'), 'utf8')).toContain('[mcp_servers.art-loop.env]');
  }
  const setup = spawnSync(BIN, ['setup', 'codex', '--repo-root', repo], { env, encoding: 'utf8' });
  expect(setup.status, setup.stderr).toBe(0);
  if (options.marker !== undefined) {
    // The process probe's marker reaches the server (and so every child) through the entry's env.
    const file = path.join(home.codexHome, 'config.toml');
    const doc = parse(readFileSync(file, 'utf8'));
    const entry = (doc.mcp_servers as TomlTable)['art-loop'] as TomlTable;
    entry.tool_timeout_sec = 6;
    (entry.env as TomlTable).H11_PROBE = options.marker;
    writeFileSync(file, stringify(doc));
  }
  return { home, repo, variantRel, variantDir, env };
}

function startOuter(world: World, then: 'report' | 'stall'): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(codexBin, ['exec', '--json', '--skip-git-repo-check', '-C', world.repo, '-s', 'danger-full-access', `[[scenario:host:${world.variantRel}|${then}]]`], {
    env: world.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  outers.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** The outer model's follow-up requests (the ones carrying the tool's output). */
const followUps = (variantRel: string) =>
  fake.requests.filter((r) => r.endpoint === 'responses' && JSON.stringify(r.body).includes(`[[scenario:host:${variantRel}`) && toolOutputsOf(r).length > 0);

describe('real codex as the MCP host', () => {
  for (const mcpAddFirst of [false, true]) {
    it(`setup codex${mcpAddFirst ? ' over a `codex mcp add` entry' : ''}, then a plain codex exec calls the artist and gets the success JSON`, async () => {
      const world = makeWorld(mcpAddFirst ? 'run_added' : 'run_fresh', { mcpAddFirst });
      // codex itself accepts the merged file (no duplicate key) and sees the entry.
      const get = spawnSync(codexBin, ['mcp', 'get', 'art-loop', '--json'], { env: world.env, encoding: 'utf8' });
      expect(get.status, get.stderr).toBe(0);
      expect(get.stdout).toContain('codex-child-mcp');
      if (mcpAddFirst) expect(get.stdout).toContain('KEEP_ME');
      expect(spawnSync(codexBin, ['mcp', 'list'], { env: world.env, encoding: 'utf8' }).status).toBe(0);

      const outer = startOuter(world, 'report');
      const result = await outer.done;
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
      const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; item?: Record<string, unknown> });
      const call = events.find((e) => e.type === 'item.completed' && e.item?.type === 'mcp_tool_call');
      expect(call?.item).toMatchObject({ server: 'art-loop', tool: 'art_loop.run_codex_artist', status: 'completed' });
      const [followUp] = followUps(world.variantRel);
      expect(followUp).toBeDefined();
      const output = toolOutputsOf(followUp!).join('\n');
      expect(output).toContain('"status":"success"');
      expect(output).toContain('"reason":null');
      expect(JSON.parse(readFileSync(path.join(world.variantDir, 'artifact.json'), 'utf8'))).toMatchObject({ status: 'success' });
    }, 240_000);
  }

  it('tool_timeout_sec fires: codex cancels the call, the server writes the failure artifact, nothing survives', async () => {
    const marker = `h11-timeout-${process.pid}-${Date.now()}`;
    const world = makeWorld('run_sleep', { marker });
    const outer = startOuter(world, 'stall');
    // The outer codex is still alive (its model stalls after the timed-out call), so only the
    // host's cancellation can have stopped the child.
    const artifactFile = path.join(world.variantDir, 'artifact.json');
    const written = await waitFor(() => existsSync(artifactFile) && followUps(world.variantRel).length > 0, 120_000, 200);
    expect(written, `outer stderr: ${outer.child.exitCode}`).toBe(true);
    expect(outer.child.exitCode).toBeNull();
    const artifact = JSON.parse(readFileSync(artifactFile, 'utf8')) as Record<string, unknown>;
    expect(artifact.status).toBe('failed');
    // Only the server (and the stalled-host-owned tree) may still carry the marker: no codex child, no sleep.
    const childGone = await waitFor(() => processesWithEnv('H11_PROBE', marker).every((pid) => !/\bsleep\b|codex exec/.test(commandLine(pid))), 60_000, 200);
    expect(childGone, processesWithEnv('H11_PROBE', marker).map(commandLine).join('\n')).toBe(true);
    expect(toolOutputsOf(followUps(world.variantRel)[0]!).join('\n')).toMatch(/timed out|timeout/i);
    expect(readFileSync(path.join(world.variantDir, 'codex_stderr.txt'), 'utf8') + readFileSync(path.join(world.variantDir, 'codex_stdout.txt'), 'utf8')).not.toBe('');

    process.kill(-(outer.child.pid as number), 'SIGTERM');
    await outer.done;
    expect(await waitFor(() => processesWithEnv('H11_PROBE', marker).length === 0, 60_000, 200), processesWithEnv('H11_PROBE', marker).map(commandLine).join('\n')).toBe(true);
  }, 240_000);
});
