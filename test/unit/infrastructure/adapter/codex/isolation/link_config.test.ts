/**
 * linkParentConfig: config.toml (and <profile>.config.toml) of the parent home are symlinked into
 * the run home; the caller's own files are never replaced; dead links are renewed; nothing is
 * linked that is not a regular file; CODEX_LINK_CONFIG=0 turns it off.
 */
import { lstatSync, mkdirSync, readlinkSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { linkParentConfig, sharedConfigNames } from '../../../../../../src/infrastructure/adapter/codex/isolation/link_config.js';
import { useRunHomeDirs } from '../../../../../support/run_home_dirs.js';

const dirs = useRunHomeDirs('link-config-');
let root: string;
let parent: string;
let home: string;
beforeEach(() => ({ root, parent, home } = dirs));

describe('sharedConfigNames', () => {
  it('is config.toml, plus <profile>.config.toml with CODEX_PROFILE', () => {
    expect(sharedConfigNames({})).toEqual(['config.toml']);
    expect(sharedConfigNames({ CODEX_PROFILE: '' })).toEqual(['config.toml']);
    expect(sharedConfigNames({ CODEX_PROFILE: 'work' })).toEqual(['config.toml', 'work.config.toml']);
  });
});

describe('linkParentConfig', () => {
  it('links the parent config (and the profile config) into the run home', async () => {
    writeFileSync(path.join(parent, 'config.toml'), 'model = "m"\n');
    writeFileSync(path.join(parent, 'work.config.toml'), 'model = "w"\n');
    const result = await linkParentConfig(home, parent, { CODEX_PROFILE: 'work' });
    expect(result).toEqual({ ok: true, value: [path.join(home, 'config.toml'), path.join(home, 'work.config.toml')] });
    expect(readlinkSync(path.join(home, 'config.toml'))).toBe(path.join(parent, 'config.toml'));
    expect(readFileSync(path.join(home, 'work.config.toml'), 'utf8')).toBe('model = "w"\n');
  });

  it('does nothing with CODEX_LINK_CONFIG=0 or when the parent has no config', async () => {
    writeFileSync(path.join(parent, 'config.toml'), 'x');
    expect(await linkParentConfig(home, parent, { CODEX_LINK_CONFIG: '0' })).toEqual({ ok: true, value: [] });
    expect(() => lstatSync(path.join(home, 'config.toml'))).toThrow();
    rmSync(path.join(parent, 'config.toml'));
    expect(await linkParentConfig(home, parent, {})).toEqual({ ok: true, value: [] });
  });

  it('links the real file behind a parent config that is itself a symlink', async () => {
    writeFileSync(path.join(root, 'real.toml'), 'r');
    symlinkSync(path.join(root, 'real.toml'), path.join(parent, 'config.toml'));
    await linkParentConfig(home, parent, {});
    expect(readlinkSync(path.join(home, 'config.toml'))).toBe(path.join(root, 'real.toml'));
  });

  it('skips a parent config that is a directory, a FIFO-like non-file or a dangling link', async () => {
    mkdirSync(path.join(parent, 'config.toml'));
    expect(await linkParentConfig(home, parent, {})).toEqual({ ok: true, value: [] });
    rmSync(path.join(parent, 'config.toml'), { recursive: true });
    symlinkSync(path.join(root, 'gone'), path.join(parent, 'config.toml'));
    expect(await linkParentConfig(home, parent, {})).toEqual({ ok: true, value: [] });
  });

  it("never overwrites the caller's own file or a working link", async () => {
    writeFileSync(path.join(parent, 'config.toml'), 'parent');
    writeFileSync(path.join(home, 'config.toml'), 'mine');
    expect(await linkParentConfig(home, parent, {})).toEqual({ ok: true, value: [] });
    expect(readFileSync(path.join(home, 'config.toml'), 'utf8')).toBe('mine');
    rmSync(path.join(home, 'config.toml'));
    writeFileSync(path.join(root, 'other.toml'), 'other');
    symlinkSync(path.join(root, 'other.toml'), path.join(home, 'config.toml'));
    expect(await linkParentConfig(home, parent, {})).toEqual({ ok: true, value: [] });
    expect(readlinkSync(path.join(home, 'config.toml'))).toBe(path.join(root, 'other.toml'));
  });

  it('replaces a dead link left by an earlier run', async () => {
    writeFileSync(path.join(parent, 'config.toml'), 'parent');
    symlinkSync(path.join(root, 'removed.toml'), path.join(home, 'config.toml'));
    const result = await linkParentConfig(home, parent, {});
    expect(result).toEqual({ ok: true, value: [path.join(home, 'config.toml')] });
    expect(readlinkSync(path.join(home, 'config.toml'))).toBe(path.join(parent, 'config.toml'));
  });

  it('fails with auth_link_failed when the link cannot be made (run home missing)', async () => {
    writeFileSync(path.join(parent, 'config.toml'), 'parent');
    const result = await linkParentConfig(path.join(root, 'no-such-home'), parent, {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe('auth_link_failed');
      expect(result.error.message).toMatch(/^cannot symlink .*config\.toml -> .*: ENOENT/);
    }
  });
});
