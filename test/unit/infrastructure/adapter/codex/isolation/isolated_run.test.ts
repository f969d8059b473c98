import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodexChildError } from '../../../../../../src/domain/errors.js';
import { linkShared } from '../../../../../../src/infrastructure/adapter/codex/isolation/credentials.js';
import { prepareIsolatedRun, type IsolatedRun } from '../../../../../../src/infrastructure/adapter/codex/isolation/isolated_run.js';
import { acquireLock, refreshDue } from '../../../../../../src/infrastructure/adapter/codex/isolation/refresh_lock.js';
import { errorOf, valueOf } from '../../../../../support/result.js';

let root: string;
let parentHome: string;
let runDir: string;

function jwt(claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.sig`;
}
function chatgptAuth(expSeconds: number, lastRefresh = new Date().toISOString()): string {
  return JSON.stringify({ auth_mode: 'chatgpt', tokens: { access_token: jwt({ exp: expSeconds }), refresh_token: 'rt_fake' }, last_refresh: lastRefresh });
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'iso-'));
  parentHome = path.join(root, 'parent-home');
  runDir = path.join(root, 'run');
  await mkdir(parentHome);
});
afterEach(async () => {
  await chmod(path.join(root, 'ro'), 0o755).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

async function prepare(env: Record<string, string | undefined>): Promise<IsolatedRun> {
  const prepared = await prepareIsolatedRun(runDir, { env: { CODEX_HOME: parentHome, ...env } });
  return valueOf(prepared);
}

describe('prepareIsolatedRun: directories', () => {
  it('creates .codex_home and .tmp as siblings and points CODEX_HOME and TMPDIR/TMP/TEMP at them', async () => {
    await writeFile(path.join(parentHome, 'auth.json'), '{"OPENAI_API_KEY":"sk-fake"}');
    const run = await prepare({});
    expect(run.codexHome).toBe(path.join(runDir, '.codex_home'));
    expect(run.tmpDir).toBe(path.join(runDir, '.tmp'));
    expect(run.codexHome.startsWith(run.tmpDir + path.sep)).toBe(false);
    expect(run.envOverrides).toMatchObject({ CODEX_HOME: run.codexHome, TMPDIR: run.tmpDir, TMP: run.tmpDir, TEMP: run.tmpDir });
    expect((await stat(run.tmpDir)).isDirectory()).toBe(true);
  });

  it('fails clearly on an unwritable run dir, before anything else', async () => {
    await writeFile(path.join(root, 'ro'), 'a file, not a directory');
    const prepared = await prepareIsolatedRun(path.join(root, 'ro', 'run'), { env: { CODEX_API_KEY: 'k' } });
    const error = errorOf(prepared);
    expect(error).toBeInstanceOf(CodexChildError);
    expect(error?.reason).toBe('run_dir_failed');
    expect(error?.message).toMatch(/^cannot prepare run dir .*\/ro\/run: .*ENOTDIR/);
  });
});

describe('prepareIsolatedRun: credentials', () => {
  it('passes CODEX_API_KEY through and writes no auth.json', async () => {
    await writeFile(path.join(parentHome, 'auth.json'), '{}');
    const run = await prepare({ CODEX_API_KEY: 'ck' });
    expect(run.credential.kind).toBe('codex_api_key');
    expect(run.envOverrides.CODEX_API_KEY).toBeUndefined();
    await expect(lstat(path.join(run.codexHome, 'auth.json'))).rejects.toThrow();
  });

  it('hands OPENAI_API_KEY over as CODEX_API_KEY and writes no auth.json', async () => {
    const run = await prepare({ OPENAI_API_KEY: 'ok' });
    expect(run.credential.kind).toBe('openai_api_key');
    expect(run.envOverrides.CODEX_API_KEY).toBe('ok');
    await expect(lstat(path.join(run.codexHome, 'auth.json'))).rejects.toThrow();
  });

  it('symlinks the parent auth.json (never a copy), found through CODEX_HOME', async () => {
    await writeFile(path.join(parentHome, 'auth.json'), chatgptAuth(9e9));
    const run = await prepare({});
    const link = path.join(run.codexHome, 'auth.json');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(path.join(await import('node:fs/promises').then((f) => f.realpath(parentHome)), 'auth.json'));
    expect(run.credential.kind).toBe('auth_link');
  });

  it('falls back to ~/.codex/auth.json when CODEX_HOME is unset', async () => {
    const home = path.join(root, 'home');
    await mkdir(path.join(home, '.codex'), { recursive: true });
    await writeFile(path.join(home, '.codex/auth.json'), '{}');
    const prepared = await prepareIsolatedRun(runDir, { env: { HOME: home } });
    expect(errorOf(prepared)).toBeNull();
    expect((await lstat(path.join(runDir, '.codex_home/auth.json'))).isSymbolicLink()).toBe(true);
  });

  it('fails with no credentials at all, telling the user what to do', async () => {
    const prepared = await prepareIsolatedRun(runDir, { env: { CODEX_HOME: parentHome } });
    const error = errorOf(prepared);
    expect(error?.reason).toBe('auth_missing');
    expect(error?.message).toContain('codex auth not found. Run `codex login`.');
    expect(error?.message).toContain('CODEX_API_KEY');
  });

  it('keeps a pre-existing regular auth.json byte-identical, uses it and says so', async () => {
    await mkdir(path.join(runDir, '.codex_home'), { recursive: true });
    const own = path.join(runDir, '.codex_home/auth.json');
    await writeFile(own, '{"OPENAI_API_KEY":"sk-own"}');
    await writeFile(path.join(parentHome, 'auth.json'), '{"OPENAI_API_KEY":"sk-parent"}');
    const run = await prepare({});
    expect(run.credential.kind).toBe('existing_auth_file');
    expect(await readFile(own, 'utf8')).toBe('{"OPENAI_API_KEY":"sk-own"}');
    expect(run.notices[0]).toMatch(/regular file, a copy of a secret/);
  });

  it('keeps a working link and re-points a dangling one', async () => {
    await writeFile(path.join(parentHome, 'auth.json'), '{}');
    await mkdir(path.join(runDir, '.codex_home'), { recursive: true });
    const link = path.join(runDir, '.codex_home/auth.json');
    await symlink(path.join(root, 'gone.json'), link);
    const run = await prepare({});
    expect(run.credential.kind).toBe('auth_link');
    expect(await readlink(link)).toMatch(/parent-home\/auth\.json$/);
    const again = await prepare({});
    expect(again.credential.kind).toBe('existing_auth_link');
  });

  it('refuses a non-link, non-file auth.json in the run home without touching it', async () => {
    await writeFile(path.join(parentHome, 'auth.json'), '{}');
    await mkdir(path.join(runDir, '.codex_home/auth.json'), { recursive: true });
    const error = errorOf(await prepareIsolatedRun(runDir, { env: { CODEX_HOME: parentHome } }));
    expect(error?.reason).toBe('auth_link_failed');
    expect(error?.message).toMatch(/neither a file nor a symlink/);
    expect((await stat(path.join(runDir, '.codex_home/auth.json'))).isDirectory()).toBe(true);
  });

  it.skipIf(!canMakeImmutable())('names the cause and the fix when the symlink cannot be made (EPERM), and copies nothing', async () => {
    const target = path.join(parentHome, 'auth.json');
    await writeFile(target, '{"tokens":{"refresh_token":"rt_secret"}}');
    const dir = path.join(root, 'immutable');
    await mkdir(dir);
    execFileSync('chattr', ['+i', dir]);
    try {
      const error = errorOf(await linkShared(path.join(dir, 'auth.json'), target, 'auth.json'));
      expect(error?.reason).toBe('auth_link_failed');
      expect(error?.message).toMatch(/^cannot symlink .*immutable\/auth\.json -> .*auth\.json: EPERM/);
      expect(error?.message).toContain('never copied');
      expect(error?.message).toContain('set CODEX_API_KEY');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      execFileSync('chattr', ['-i', dir]);
    }
  });
});

function canMakeImmutable(): boolean {
  const probe = mkdtempSync(path.join(os.tmpdir(), 'chattr-probe-'));
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

describe('prepareIsolatedRun: config and secrets', () => {
  it('links config.toml (and <profile>.config.toml) by default, not with CODEX_LINK_CONFIG=0', async () => {
    await writeFile(path.join(parentHome, 'config.toml'), 'model = "x"\n');
    await writeFile(path.join(parentHome, 'work.config.toml'), 'model = "y"\n');
    const run = await prepare({ CODEX_API_KEY: 'k', CODEX_PROFILE: 'work' });
    expect(run.linkedConfig.map((p) => path.basename(p))).toEqual(['config.toml', 'work.config.toml']);
    expect((await lstat(path.join(run.codexHome, 'config.toml'))).isSymbolicLink()).toBe(true);
    await rm(runDir, { recursive: true });
    const off = await prepare({ CODEX_API_KEY: 'k', CODEX_LINK_CONFIG: '0' });
    expect(off.linkedConfig).toEqual([]);
  });
});

describe('refresh coordination', () => {
  it('decides when a refresh is due', () => {
    const now = Date.now();
    expect(refreshDue(chatgptAuth(now / 1000 - 10), now).due).toBe(true);
    expect(refreshDue(chatgptAuth(now / 1000 + 60), now).due).toBe(true); // within 5 minutes
    expect(refreshDue(chatgptAuth(now / 1000 + 3600), now).due).toBe(false);
    expect(refreshDue(chatgptAuth(now / 1000 + 3600, '2020-01-01T00:00:00Z'), now).due).toBe(true);
    expect(refreshDue('{"OPENAI_API_KEY":"sk"}', now).due).toBe(false);
    expect(refreshDue('not json', now).due).toBe(false);
  });

  it('serialises: the second run waits until the first run rewrote auth.json, then does not refresh', async () => {
    await writeFile(path.join(parentHome, 'auth.json'), chatgptAuth(Date.now() / 1000 - 10));
    const first = await prepare({});
    const second = valueOf(await prepareIsolatedRun(path.join(root, 'run2'), { env: { CODEX_HOME: parentHome } }));
    const a = await first.coordinateRefresh();
    expect(a.refresher).toBe(true);
    const pending = second.coordinateRefresh();
    await new Promise((r) => setTimeout(r, 300));
    // codex rewrites through a temp file and rename: emulate it.
    const fresh = path.join(parentHome, '.auth-tmp');
    await writeFile(fresh, chatgptAuth(Date.now() / 1000 + 3600));
    await import('node:fs/promises').then((f) => f.rename(fresh, path.join(parentHome, 'auth.json')));
    const b = await pending;
    expect(b.refresher).toBe(false);
    expect(b.waitedMs).toBeGreaterThanOrEqual(250);
    await a.done();
    await b.done();
  });

  it('breaks a stale lock whose owner is gone', async () => {
    const lockPath = path.join(root, 'x.lock');
    await writeFile(lockPath, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), createdAt: Date.now() }));
    const lock = await acquireLock(lockPath, { timeoutMs: 2000 });
    expect(lock).not.toBeNull();
    await lock?.release();
  });

  it('gives up waiting for a live lock after the timeout', async () => {
    const lockPath = path.join(root, 'y.lock');
    const held = await acquireLock(lockPath);
    const started = Date.now();
    expect(await acquireLock(lockPath, { timeoutMs: 200 })).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await held?.release();
  });
});
