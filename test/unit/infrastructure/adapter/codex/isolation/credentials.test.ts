/**
 * credentials.ts: which credentials a run gets (API keys first, then the parent's auth.json shared
 * by symlink, never copied), and the hostile shapes of the run home's auth.json.
 */
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { authMissingError, linkShared, parentCodexHome, provideCredentials } from '../../../../../../src/infrastructure/adapter/codex/isolation/credentials.js';
import { useRunHomeDirs } from '../../../../../support/run_home_dirs.js';

const dirs = useRunHomeDirs('credentials-');
let root: string;
let parent: string;
let home: string;
beforeEach(() => ({ root, parent, home } = dirs));

describe('parentCodexHome', () => {
  it('is $CODEX_HOME (resolved), else $HOME/.codex; empty counts as unset', () => {
    expect(parentCodexHome({ CODEX_HOME: '/x/./y' })).toBe('/x/y');
    expect(parentCodexHome({ CODEX_HOME: '', HOME: '/h/u' })).toBe('/h/u/.codex');
    expect(parentCodexHome({ HOME: '' })).toBe(path.join(os.homedir(), '.codex'));
  });
});

describe('provideCredentials', () => {
  it('uses CODEX_API_KEY as it is, and hands OPENAI_API_KEY on as CODEX_API_KEY', async () => {
    expect(await provideCredentials(home, { CODEX_API_KEY: 'k1', OPENAI_API_KEY: 'k2' })).toEqual({ ok: true, value: { source: { kind: 'codex_api_key' }, env: {}, notices: [] } });
    expect(await provideCredentials(home, { OPENAI_API_KEY: 'k2' })).toEqual({ ok: true, value: { source: { kind: 'openai_api_key' }, env: { CODEX_API_KEY: 'k2' }, notices: [] } });
  });

  it("links the parent's auth.json (its real file) and never copies it", async () => {
    writeFileSync(path.join(root, 'real-auth.json'), '{}');
    symlinkSync(path.join(root, 'real-auth.json'), path.join(parent, 'auth.json'));
    const result = await provideCredentials(home, { CODEX_HOME: parent });
    const link = path.join(home, 'auth.json');
    expect(result).toEqual({ ok: true, value: { source: { kind: 'auth_link', link, target: path.join(root, 'real-auth.json') }, env: {}, notices: [] } });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(path.join(root, 'real-auth.json'));
  });

  it('is auth_missing without keys and without a parent auth.json (a directory there does not count)', async () => {
    mkdirSync(path.join(parent, 'auth.json'));
    const result = await provideCredentials(home, { CODEX_HOME: parent });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe('auth_missing');
      expect(result.error.message).toBe(authMissingError(parent).message);
      expect(result.error.message).toMatch(/^codex auth not found\. Run `codex login`\./);
    }
  });

  it('keeps a working link already in the run home, and uses a regular file there with a notice', async () => {
    writeFileSync(path.join(root, 'other.json'), '{}');
    symlinkSync(path.join(root, 'other.json'), path.join(home, 'auth.json'));
    expect(await provideCredentials(home, { CODEX_HOME: parent })).toMatchObject({ ok: true, value: { source: { kind: 'existing_auth_link', target: path.join(root, 'other.json') } } });
    rmSync(path.join(home, 'auth.json'));
    writeFileSync(path.join(home, 'auth.json'), '{}');
    const copied = await provideCredentials(home, { CODEX_HOME: parent });
    expect(copied).toMatchObject({ ok: true, value: { source: { kind: 'existing_auth_file' } } });
    if (copied.ok) expect(copied.value.notices[0]).toMatch(/is a regular file, a copy of a secret/);
  });

  it('re-points a dangling link, and refuses a directory under the name', async () => {
    writeFileSync(path.join(parent, 'auth.json'), '{}');
    symlinkSync(path.join(root, 'gone.json'), path.join(home, 'auth.json'));
    expect(await provideCredentials(home, { CODEX_HOME: parent })).toMatchObject({ ok: true, value: { source: { kind: 'auth_link' } } });
    expect(readlinkSync(path.join(home, 'auth.json'))).toBe(path.join(parent, 'auth.json'));
    rmSync(path.join(home, 'auth.json'));
    mkdirSync(path.join(home, 'auth.json'));
    const refused = await provideCredentials(home, { CODEX_HOME: parent });
    expect(refused.ok ? null : refused.error.reason).toBe('auth_link_failed');
    expect(refused.ok ? '' : refused.error.message).toMatch(/exists but is neither a file nor a symlink/);
  });
});

describe('linkShared', () => {
  it('accepts an EEXIST race with the same link, and explains any other failure in one line', async () => {
    const target = path.join(parent, 'x');
    writeFileSync(target, '');
    const link = path.join(home, 'x');
    expect(await linkShared(link, target, 'x')).toEqual({ ok: true, value: undefined });
    expect(await linkShared(link, target, 'x')).toEqual({ ok: true, value: undefined });
    const other = await linkShared(link, path.join(parent, 'y'), 'x');
    expect(other.ok).toBe(false);
    if (!other.ok) {
      expect(other.error.message).toMatch(/^cannot symlink .* -> .*: EEXIST \(.*\); x is shared by symlink and never copied\./);
      expect(other.error.message).not.toContain('\n');
    }
  });
});
