/**
 * Claude Code as the MCP host, offline: `setup claude` in a fresh (untrusted) repo, then a plain
 * `claude -p` in it — no --allowedTools, no --mcp-config, a PATH without codex — against a loopback
 * fake Messages API that calls the artist tool; the server runs the real child codex against the
 * fake OpenAI model. Claude Code is not a dependency: set CLAUDE_BIN to its executable (e.g. after
 * `npm install @anthropic-ai/claude-code` in a scratch folder) or have `claude` on PATH; otherwise
 * the test is skipped with the reason printed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scriptedTurn, startFakeModelServer, type FakeModelServer } from '../../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, resolveCodexBinary, type HermeticCodexHome } from '../../src/devtools/hermetic_codex.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake_anthropic.js';

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..');
const TOOL = 'mcp__art-loop__art_loop_run_codex_artist';
const VARIANT = 'sketch/agent_loop/runs/run_claude/iter_01/v01';
const FAKE_KEY = 'sk-fake-claude-host-openai';

function findClaude(): string | null {
  if (process.env.CLAUDE_BIN) return existsSync(process.env.CLAUDE_BIN) ? process.env.CLAUDE_BIN : null;
  const found = spawnSync('sh', ['-c', 'command -v claude'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : null;
}
const claudeBin = findClaude();
if (claudeBin === null) process.stderr.write('[mcp_claude_host] skipped: Claude Code not found (set CLAUDE_BIN or put claude on PATH)\n');

let fake: FakeModelServer | undefined;
let anthropic: FakeAnthropic | undefined;
let home: HermeticCodexHome | undefined;
afterAll(async () => {
  await fake?.close();
  await anthropic?.close();
  home?.cleanup();
});

describe.skipIf(claudeBin === null)('Claude Code as the MCP host (skipped without CLAUDE_BIN / claude on PATH)', () => {
  it('setup claude, then a plain claude -p calls the artist tool and gets the success JSON', async () => {
    const artifact = { artist_id: 'a', iteration: 1, variant_id: 'v01', mode: 'exploration', status: 'success', code_ref: `${VARIANT}/sketch.py`, callable_ref: 'x:draw', image_ref: `${VARIANT}/out.png`, seed: 1 };
    const b64 = Buffer.from(`${JSON.stringify(artifact)}\n`).toString('base64');
    const write = ["printf 'x' > sketch.py", 'printf PNG > out.png', 'echo r > stdout.txt', ': > stderr.txt', `echo ${b64} | base64 -d > artifact.json`].join(' && ');
    fake = await startFakeModelServer({ scenarios: { artist: scriptedTurn({ commands: [write], result: JSON.stringify(artifact) }) }, expectedBearer: FAKE_KEY });
    anthropic = await startFakeAnthropic(TOOL, { variant_dir: VARIANT, timeout_s: 120 });
    home = createHermeticCodexHome({ baseUrl: fake.baseUrl, requiresOpenaiAuth: true, modelCatalog: true });
    writeFileSync(path.join(home.codexHome, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: FAKE_KEY }), { mode: 0o600 });
    const repo = path.join(home.root, 'repo');
    mkdirSync(path.join(repo, VARIANT), { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    for (const name of ['artist_context.json', 'creative_brief.json']) writeFileSync(path.join(repo, VARIANT, name), '{}');
    const template = path.join(home.root, 'artist_prompt.md');
    writeFileSync(template, `${readFileSync(path.join(PACKAGE_ROOT, 'templates/art_loop_artist_prompt.md'), 'utf8')}\n[[scenario:artist]]\n`);

    const setup = spawnSync(path.join(PACKAGE_ROOT, 'bin/codex-child-mcp'), ['setup', 'claude', '--repo-root', repo], { env: { ...process.env, CODEX_BIN: resolveCodexBinary() }, encoding: 'utf8' });
    expect(setup.status, setup.stderr).toBe(0);

    const env = {
      PATH: '/usr/bin:/bin', // no codex here: the entry's absolute CODEX_BIN must do it
      HOME: home.home,
      TMPDIR: home.tmpDir,
      CODEX_HOME: home.codexHome,
      ART_LOOP_PROMPT_TEMPLATE: template,
      CODEX_CHILD_SANDBOX: 'danger-full-access',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-fake-not-a-real-key',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_ERROR_REPORTING: '1',
    };
    const claude = spawn(claudeBin as string, ['-p', `Run the art-loop artist on ${VARIANT}`, '--output-format', 'json'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    claude.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    claude.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const killer = setTimeout(() => claude.kill('SIGKILL'), 200_000);
    const code = await new Promise<number | null>((resolve) => claude.once('close', resolve));
    clearTimeout(killer);
    expect(code, stderr.slice(-2000)).toBe(0);
    const result = JSON.parse(stdout) as { result: string; permission_denials: unknown[] };
    expect(result.permission_denials).toEqual([]);
    expect(result.result).toContain('\\"status\\":\\"success\\"');
    expect(anthropic.requests.some((r) => r.toolResults.length > 0)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(repo, VARIANT, 'artifact.json'), 'utf8'))).toMatchObject({ status: 'success' });
  }, 240_000);
});
