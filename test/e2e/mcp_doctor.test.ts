/**
 * `codex-child-mcp doctor`, hermetic (temp HOME and CODEX_HOME, fake credentials, the pinned real
 * codex): one line per check with a fix, exit 0 only when a run can work, secrets never printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCodexBinary } from '../../src/devtools/hermetic_codex.js';

const BIN = path.resolve(import.meta.dirname, '..', '..', 'bin', 'codex-child-mcp');
const SECRET = 'sk-fake-doctor-secret-value';
const codexBin = resolveCodexBinary();
let root: string;
let repo: string;
let baseEnv: Record<string, string>;

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mcp-doctor-')));
  repo = path.join(root, 'repo');
  for (const dir of ['home', 'codex-home', 'tmp', 'repo/sketch/agent_loop/runs']) mkdirSync(path.join(root, dir), { recursive: true });
  baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(root, 'home'),
    CODEX_HOME: path.join(root, 'codex-home'),
    TMPDIR: path.join(root, 'tmp'),
    CODEX_BIN: codexBin,
  };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function doctor(env: Record<string, string>, args: string[] = ['--repo-root', repo]) {
  const run = spawnSync(BIN, ['doctor', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  const lines = run.stdout.trim().split('\n');
  const line = (name: string) => lines.find((l) => l.slice(5).startsWith(`${name}:`)) ?? `(no ${name} line)`;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lines, line };
}

describe('codex-child-mcp doctor', () => {
  it('fails on missing credentials and a missing codex, with a fix on each line', () => {
    const run = doctor({ ...baseEnv, CODEX_BIN: path.join(root, 'no-such-codex') });
    expect(run.status).toBe(1);
    expect(run.line('codex')).toMatch(/^FAIL codex: not found .* -> fix: install @openai\/codex/);
    expect(run.line('credentials')).toMatch(/^FAIL credentials: no CODEX_API_KEY, no OPENAI_API_KEY, no .*auth\.json -> fix: run `codex login`/);
    for (const l of run.lines) expect(l).toMatch(/^(ok  |warn|FAIL) [a-z ]+: /);
  }, 180_000);

  it('fails on a repository root that does not exist', () => {
    const run = doctor({ ...baseEnv, CODEX_API_KEY: SECRET }, ['--repo-root', path.join(root, 'nope')]);
    expect(run.status).toBe(1);
    expect(run.line('repo root')).toMatch(/^FAIL repo root: repository root not found/);
  }, 180_000);

  it('passes once codex, credentials and the repo are there; host configs are warnings until setup, then ok', () => {
    const env = { ...baseEnv, CODEX_API_KEY: SECRET };
    const before = doctor(env);
    expect(before.status, before.stdout + before.stderr).toBe(0);
    expect(before.line('codex')).toMatch(/^ok {3}codex: .*codex-cli 0\.169\.0/);
    expect(before.line('credentials')).toBe('ok   credentials: CODEX_API_KEY is set');
    expect(before.line('repo root')).toBe(`ok   repo root: ${repo}`);
    expect(before.line('server')).toMatch(/^ok {3}server: starts, answers initialize and lists .*art_loop\.run_codex_artist/);
    expect(before.line('sandbox')).toMatch(/^(ok {3}sandbox|warn sandbox: .*-> fix: set CODEX_CHILD_SANDBOX=danger-full-access)/);
    expect(before.line('codex config')).toMatch(/^warn codex config: .* -> fix: codex-child-mcp setup codex --repo-root /);
    expect(before.line('claude config')).toMatch(/^warn claude config: .* -> fix: codex-child-mcp setup claude --repo-root /);
    expect(before.stdout).not.toContain(SECRET);

    for (const host of ['codex', 'claude']) expect(spawnSync(BIN, ['setup', host, '--repo-root', repo], { env, encoding: 'utf8' }).status).toBe(0);
    const after = doctor(env);
    expect(after.status).toBe(0);
    expect(after.line('codex config')).toMatch(/^ok {3}codex config: \[mcp_servers\.art-loop\]/);
    expect(after.line('claude config')).toMatch(/^ok {3}claude config: art-loop in /);
    expect(after.stdout).not.toContain(SECRET);
  }, 240_000);

  it('warns about a codex entry that codex exec could not use', () => {
    const env = { ...baseEnv, CODEX_API_KEY: SECRET, CODEX_HOME: path.join(root, 'codex-home-2') };
    mkdirSync(env.CODEX_HOME, { recursive: true });
    writeFileSync(path.join(env.CODEX_HOME, 'config.toml'), '[mcp_servers.art-loop]\ncommand = "codex-child-mcp"\n');
    const run = doctor(env);
    expect(run.line('codex config')).toMatch(/^warn codex config: \[mcp_servers\.art-loop\]: .*no absolute CODEX_BIN.*tools need approval.*required is not true/);
  }, 180_000);
});
