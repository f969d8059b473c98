/** Config recursion guard: entries that start this server are found and disabled for children. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSelfServers, parseDottedKey, selfDisableArgs } from '../../../src/mcp/self_registration.js';

describe('parseDottedKey', () => {
  it('splits bare, quoted and literal parts', () => {
    expect(parseDottedKey('mcp_servers.art-loop')).toEqual(['mcp_servers', 'art-loop']);
    expect(parseDottedKey(' mcp_servers . "a.b" ')).toEqual(['mcp_servers', 'a.b']);
    expect(parseDottedKey("mcp_servers.'x y'.command")).toEqual(['mcp_servers', 'x y', 'command']);
    expect(parseDottedKey('a..b')).toBeNull();
  });
});

describe('findSelfServers', () => {
  it('finds [mcp_servers.NAME] tables by command or args, across lines', () => {
    const toml = `
model = "x"
[mcp_servers.art-loop]
command = "/opt/codex-child/bin/codex-child-mcp"
[mcp_servers.art-loop.env]
FOO = "bar"
[mcp_servers."quoted"]
command = "node"
args = [
  "--flag",
  "/srv/codex-child/bin/codex-child-mcp", # comment ]
]
[mcp_servers.other]
command = "npx"
args = ["some-other-server"]
env = { NOTE = "codex-child-mcp is mentioned only in env" }
[profiles.x]
command = "codex-child-mcp"
`;
    expect(findSelfServers(toml)).toEqual(['art-loop', 'quoted']);
  });

  it('finds inline tables and dotted keys', () => {
    const toml = `
mcp_servers.top.command = "codex-child-mcp"
[mcp_servers]
inline = { command = "node", args = ["bin/codex-child-mcp"] }
dotted.args = ["x", "codex_child_mcp"]
plain = { command = "other" }
`;
    expect(findSelfServers(toml)).toEqual(['top', 'inline', 'dotted']);
  });

  it('ignores comments and unrelated text', () => {
    expect(findSelfServers('# [mcp_servers.x]\n# command = "codex-child-mcp"\n')).toEqual([]);
    expect(findSelfServers('')).toEqual([]);
  });
});

describe('selfDisableArgs', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mcp-self-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const parent = path.join(root, 'parent');
  mkdirSync(parent);
  writeFileSync(path.join(parent, 'config.toml'), '[mcp_servers.art-loop]\ncommand = "codex-child-mcp"\n[mcp_servers."a.b"]\ncommand = "codex-child-mcp"\n');
  writeFileSync(path.join(parent, 'prof.config.toml'), '[mcp_servers.from-profile]\ncommand = "codex-child-mcp"\n');

  it("scans the parent's config (which the adapter links) and the profile config", async () => {
    const runHome = path.join(root, 'run1/.codex_home');
    expect(await selfDisableArgs(runHome, { CODEX_HOME: parent })).toEqual({
      args: ['-c', 'mcp_servers.art-loop.enabled=false'],
      skipped: ['a.b'],
    });
    const withProfile = await selfDisableArgs(runHome, { CODEX_HOME: parent, CODEX_PROFILE: 'prof' });
    expect(withProfile.args).toEqual(['-c', 'mcp_servers.art-loop.enabled=false', '-c', 'mcp_servers.from-profile.enabled=false']);
  });

  it("uses the run home's own config when it has one, and nothing with CODEX_LINK_CONFIG=0", async () => {
    const runHome = path.join(root, 'run2/.codex_home');
    mkdirSync(runHome, { recursive: true });
    writeFileSync(path.join(runHome, 'config.toml'), 'model = "m"\n');
    expect((await selfDisableArgs(runHome, { CODEX_HOME: parent })).args).toEqual([]);
    expect((await selfDisableArgs(path.join(root, 'run3/.codex_home'), { CODEX_HOME: parent, CODEX_LINK_CONFIG: '0' })).args).toEqual([]);
  });

  it('treats a dangling link in the run home like no file (the adapter re-links it)', async () => {
    const runHome = path.join(root, 'run4/.codex_home');
    mkdirSync(runHome, { recursive: true });
    symlinkSync(path.join(root, 'gone.toml'), path.join(runHome, 'config.toml'));
    expect((await selfDisableArgs(runHome, { CODEX_HOME: parent })).args).toEqual(['-c', 'mcp_servers.art-loop.enabled=false']);
  });
});
