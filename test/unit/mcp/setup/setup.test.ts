/** setup codex / setup claude: idempotent merges that keep everything else, backups, --print. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, type TomlTable } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeClaudeSettings, mergeMcpJson } from '../../../../src/mcp/setup/claude_config.js';
import { mergeCodexConfig } from '../../../../src/mcp/setup/codex_config.js';
import { buildHostEntry, toolTimeoutSec, type HostEntry } from '../../../../src/mcp/setup/host_entry.js';
import { runSetup } from '../../../../src/mcp/setup/run_setup.js';

const entry: HostEntry = {
  command: '/usr/bin/node',
  args: ['/pkg/bin/codex-child-mcp'],
  env: { ART_LOOP_REPO_ROOT: '/repo', CODEX_BIN: '/opt/codex' },
  toolTimeoutSec: 960,
  startupTimeoutSec: 30,
};

let dir: string;
let fakeCodex: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-setup-'));
  fakeCodex = path.join(dir, 'codex');
  writeFileSync(fakeCodex, '#!/bin/sh\necho codex-cli 0.169.0\n');
  chmodSync(fakeCodex, 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (l: string) => void err.push(l) }, out, err };
}

describe('toolTimeoutSec', () => {
  it('covers the run plus the queue rounds of one four-variant iteration', () => {
    expect(toolTimeoutSec(4)).toBe(960);
    expect(toolTimeoutSec(2)).toBe(1860);
    expect(toolTimeoutSec(1)).toBe(3660);
    expect(toolTimeoutSec(8)).toBe(960);
  });
});

describe('mergeCodexConfig', () => {
  const mcpAddText = [
    'model = "gpt-5.5"',
    '',
    '[mcp_servers.other]',
    'command = "other-server"',
    '',
    '[mcp_servers.art-loop]',
    'command = "codex-child-mcp"',
    'enabled_tools = ["art_loop.run_codex_artist"]',
    '',
    '[mcp_servers.art-loop.env]',
    'KEEP_ME = "1"',
    'CODEX_BIN = "codex"',
    '',
  ].join('\n');

  it('updates an entry `codex mcp add` wrote in place, keeping its env table and everything else', () => {
    const merged = mergeCodexConfig(mcpAddText, 'art-loop', entry);
    const doc = parse(merged);
    expect(doc.model).toBe('gpt-5.5');
    const servers = doc.mcp_servers as TomlTable;
    expect(servers.other).toEqual({ command: 'other-server' });
    expect(servers['art-loop']).toMatchObject({
      command: '/usr/bin/node',
      args: ['/pkg/bin/codex-child-mcp'],
      required: true,
      default_tools_approval_mode: 'approve',
      tool_timeout_sec: 960,
      startup_timeout_sec: 30,
      enabled_tools: ['art_loop.run_codex_artist'],
      env: { KEEP_ME: '1', CODEX_BIN: '/opt/codex', ART_LOOP_REPO_ROOT: '/repo' },
    });
    expect((servers['art-loop'] as TomlTable).env_vars).toContain('CODEX_HOME');
    // One table header per server: no duplicate key for codex to choke on.
    expect(merged.match(/^\[mcp_servers\.art-loop\]$/gm)).toHaveLength(1);
    expect(merged.match(/^\[mcp_servers\.art-loop\.env\]$/gm)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('is idempotent', () => {
    const once = mergeCodexConfig(mcpAddText, 'art-loop', entry);
    expect(mergeCodexConfig(once, 'art-loop', entry)).toBe(once);
  });

  it('refuses invalid TOML instead of clobbering it', () => {
    expect(() => mergeCodexConfig('[mcp_servers.a]\nx = 1\n[mcp_servers.a]\nx = 2\n', 'art-loop', entry)).toThrow();
  });
});

describe('Claude merges', () => {
  it('adds the server to .mcp.json without touching other servers, and is idempotent', () => {
    const doc = { mcpServers: { other: { command: 'x' }, 'art-loop': { command: 'old', env: { KEEP: '1' } } }, extra: true };
    const merged = mergeMcpJson(doc, 'art-loop', entry);
    expect(merged).toMatchObject({ extra: true, mcpServers: { other: { command: 'x' }, 'art-loop': { type: 'stdio', command: '/usr/bin/node', args: ['/pkg/bin/codex-child-mcp'], env: { KEEP: '1', CODEX_BIN: '/opt/codex', ART_LOOP_REPO_ROOT: '/repo' } } } });
    expect(mergeMcpJson(merged, 'art-loop', entry)).toEqual(merged);
  });

  it('allows mcp__NAME and approves the project server, keeping other rules, without duplicates', () => {
    const merged = mergeClaudeSettings({ permissions: { allow: ['Bash(ls:*)'], deny: ['WebFetch'] }, model: 'x' }, 'art-loop');
    expect(merged).toEqual({ model: 'x', permissions: { allow: ['Bash(ls:*)', 'mcp__art-loop'], deny: ['WebFetch'] }, enabledMcpjsonServers: ['art-loop'] });
    expect(mergeClaudeSettings(merged, 'art-loop')).toEqual(merged);
  });
});

describe('runSetup', () => {
  it('setup codex writes $CODEX_HOME/config.toml, backs up the old file, and a second run changes nothing', async () => {
    const codexHome = path.join(dir, 'codex-home');
    const repo = path.join(dir, 'repo');
    mkdirSync(codexHome);
    mkdirSync(repo);
    writeFileSync(path.join(codexHome, 'config.toml'), 'model = "m"\n');
    const env = { CODEX_HOME: codexHome, CODEX_BIN: fakeCodex, PATH: '/usr/bin:/bin' };
    const first = capture();
    expect(await runSetup({ host: 'codex', repoRoot: repo, name: 'art-loop', print: false }, first.io, env, dir)).toBe(0);
    expect(first.err).toEqual([]);
    const text = readFileSync(path.join(codexHome, 'config.toml'), 'utf8');
    expect(parse(text)).toMatchObject({ model: 'm', mcp_servers: { 'art-loop': { env: { ART_LOOP_REPO_ROOT: repo, CODEX_BIN: fakeCodex } } } });
    const backups = readdirSync(codexHome).filter((f) => f.startsWith('config.toml.bak-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(codexHome, backups[0]!), 'utf8')).toBe('model = "m"\n');
    const second = capture();
    expect(await runSetup({ host: 'codex', repoRoot: repo, name: 'art-loop', print: false }, second.io, env, dir)).toBe(0);
    expect(second.out.join('')).toContain('already up to date');
    expect(readdirSync(codexHome).filter((f) => f.startsWith('config.toml.bak-'))).toHaveLength(1);
  });

  it('--print shows the entry and writes nothing', async () => {
    const codexHome = path.join(dir, 'codex-home');
    const run = capture();
    expect(await runSetup({ host: 'codex', repoRoot: dir, name: 'art-loop', print: true }, run.io, { CODEX_HOME: codexHome, CODEX_BIN: fakeCodex }, dir)).toBe(0);
    expect(run.out.join('')).toContain('[mcp_servers.art-loop]');
    expect(readdirSync(dir)).not.toContain('codex-home');
    const claude = capture();
    expect(await runSetup({ host: 'claude', repoRoot: dir, name: 'art-loop', print: true }, claude.io, { CODEX_BIN: fakeCodex }, dir)).toBe(0);
    expect(claude.out.join('')).toContain('"mcp__art-loop"');
    expect(readdirSync(dir).sort()).toEqual(['codex']);
  });

  it('setup claude writes .mcp.json and .claude/settings.local.json in the repo root', async () => {
    writeFileSync(path.join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { other: { command: 'x' } } }));
    const run = capture();
    expect(await runSetup({ host: 'claude', repoRoot: dir, name: 'art-loop', print: false }, run.io, { CODEX_BIN: fakeCodex }, dir)).toBe(0);
    const mcp = JSON.parse(readFileSync(path.join(dir, '.mcp.json'), 'utf8'));
    expect(Object.keys(mcp.mcpServers).sort()).toEqual(['art-loop', 'other']);
    expect(mcp.mcpServers['art-loop'].env.CODEX_BIN).toBe(fakeCodex);
    const settings = JSON.parse(readFileSync(path.join(dir, '.claude', 'settings.local.json'), 'utf8'));
    expect(settings.permissions.allow).toEqual(['mcp__art-loop']);
    expect(readdirSync(dir).some((f) => f.startsWith('.mcp.json.bak-'))).toBe(true);
  });

  it('fails with one line when codex, the repo root or the TOML is unusable', async () => {
    const noCodex = capture();
    expect(await runSetup({ host: 'codex', repoRoot: dir, name: 'art-loop', print: false }, noCodex.io, { PATH: path.join(dir, 'empty') }, dir)).toBe(1);
    expect(noCodex.err).toEqual([expect.stringMatching(/^setup codex: codex not found \(codex\): install @openai\/codex or set CODEX_BIN/)]);
    const noRepo = capture();
    expect(await runSetup({ host: 'claude', repoRoot: path.join(dir, 'nope'), name: 'art-loop', print: false }, noRepo.io, { CODEX_BIN: fakeCodex }, dir)).toBe(1);
    expect(noRepo.err).toEqual([`setup claude: repository root not found: ${path.join(dir, 'nope')}`]);
    const codexHome = path.join(dir, 'bad-home');
    mkdirSync(codexHome);
    writeFileSync(path.join(codexHome, 'config.toml'), 'this is = = not toml\n');
    const badToml = capture();
    expect(await runSetup({ host: 'codex', repoRoot: dir, name: 'art-loop', print: false }, badToml.io, { CODEX_HOME: codexHome, CODEX_BIN: fakeCodex }, dir)).toBe(1);
    expect(badToml.err).toHaveLength(1);
    expect(badToml.err[0]).toMatch(/config\.toml is not valid TOML/);
    expect(readFileSync(path.join(codexHome, 'config.toml'), 'utf8')).toBe('this is = = not toml\n');
  });

  it('buildHostEntry takes the concurrency into the timeout and the env', async () => {
    const built = await buildHostEntry(dir, { CODEX_BIN: fakeCodex, ART_LOOP_MAX_CONCURRENCY: '2' }, dir);
    expect(built).toMatchObject({ ok: true, value: { toolTimeoutSec: 1860, env: { ART_LOOP_MAX_CONCURRENCY: '2' } } });
    expect(await buildHostEntry(dir, { CODEX_BIN: fakeCodex, ART_LOOP_MAX_CONCURRENCY: 'x' }, dir)).toMatchObject({ ok: false });
  });
});
