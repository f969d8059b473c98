/**
 * refresh_lock.ts: the cross-process O_EXCL lock (a live holder is waited for, a dead or old one is
 * broken, an impossible place does not block the run), refreshDue's reasons, and watchForRewrite.
 * Holders are real processes: a live `sh -c` child, and the pid of one that has exited.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, refreshDue, REFRESH_SKEW_MS, watchForRewrite } from '../../../../../../src/infrastructure/adapter/codex/isolation/refresh_lock.js';

let root: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'refresh-lock-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const owner = (pid: number, createdAt = Date.now()) => JSON.stringify({ pid, host: os.hostname(), createdAt });
const jwt = (exp: number) => `h.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.s`;

describe('acquireLock', () => {
  it('creates the lock file with its owner, and release removes it (twice is harmless)', async () => {
    const file = path.join(root, 'a.lock');
    const lock = await acquireLock(file);
    expect(lock).not.toBeNull();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    await lock?.release();
    await lock?.release();
    expect(existsSync(file)).toBe(false);
  });

  it('waits for a live holder and gives up (null) at its deadline, leaving the lock alone', async () => {
    const file = path.join(root, 'live.lock');
    const holder = spawn('sh', ['-c', 'exec sleep 300'], { stdio: 'ignore' });
    try {
      writeFileSync(file, owner(holder.pid as number));
      expect(await acquireLock(file, { timeoutMs: 200, pollMs: 20 })).toBeNull();
      expect(existsSync(file)).toBe(true);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('gets the lock once a live holder releases it', async () => {
    const file = path.join(root, 'handover.lock');
    const first = await acquireLock(file);
    const second = acquireLock(file, { timeoutMs: 60_000, pollMs: 10 });
    await first?.release();
    const got = await second;
    expect(got).not.toBeNull();
    await got?.release();
  });

  it('breaks the lock of a holder process that has exited, and an old one', async () => {
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    const file = path.join(root, 'dead.lock');
    writeFileSync(file, owner(Number(dead)));
    const lock = await acquireLock(file, { timeoutMs: 30_000 });
    expect(lock).not.toBeNull();
    await lock?.release();
    writeFileSync(file, owner(process.pid, Date.now() - 10_000));
    const old = await acquireLock(file, { timeoutMs: 30_000, staleMs: 1000 });
    expect(old).not.toBeNull();
    await old?.release();
  });

  it('does not block the run where no lock can be made (missing dir, a path under a file)', async () => {
    writeFileSync(path.join(root, 'plain'), '');
    expect(await acquireLock(path.join(root, 'missing', 'x.lock'), { timeoutMs: 60_000 })).toBeNull();
    expect(await acquireLock(path.join(root, 'plain', 'x.lock'), { timeoutMs: 60_000 })).toBeNull();
  });
});

describe('refreshDue', () => {
  const now = Date.parse('2026-12-02T00:00:00Z');
  it('gives the reason of each decision', () => {
    expect(refreshDue('{', now)).toEqual({ due: false, reason: 'auth.json is not JSON' });
    expect(refreshDue('{"OPENAI_API_KEY":"sk"}', now)).toEqual({ due: false, reason: 'API-key mode' });
    const fresh = { tokens: { access_token: jwt((now + 3600_000) / 1000) }, last_refresh: '2026-12-01T00:00:00Z' };
    expect(refreshDue(JSON.stringify(fresh), now)).toEqual({ due: false, reason: 'token fresh' });
    const soon = { ...fresh, tokens: { access_token: jwt((now + REFRESH_SKEW_MS - 1000) / 1000) } };
    expect(refreshDue(JSON.stringify(soon), now).reason).toBe('access token expired or about to expire');
    expect(refreshDue(JSON.stringify({ ...fresh, last_refresh: undefined }), now).reason).toBe('no last_refresh');
    expect(refreshDue(JSON.stringify({ ...fresh, last_refresh: 'yesterday-ish' }), now).reason).toBe('last_refresh too old');
    // A token that is no JWT is judged by last_refresh alone.
    expect(refreshDue(JSON.stringify({ ...fresh, tokens: { access_token: 'opaque' } }), now).reason).toBe('token fresh');
  });
});

describe('watchForRewrite', () => {
  /** Writes until the watch reports it: the watch's first look may come after an early write. */
  async function writeUntilSeen(changed: Promise<void>, write: (n: number) => void): Promise<void> {
    let seen = false;
    void changed.then(() => (seen = true));
    for (let n = 0; !seen; n++) {
      write(n);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('resolves when the file is rewritten, and when a missing file appears', async () => {
    const file = path.join(root, 'auth.json');
    writeFileSync(file, 'one');
    const watch = watchForRewrite(file, 10);
    await writeUntilSeen(watch.changed, (n) => writeFileSync(file, `version ${n} ${'x'.repeat(n)}`));
    const later = path.join(root, 'later.json');
    const appear = watchForRewrite(later, 10);
    await writeUntilSeen(appear.changed, (n) => writeFileSync(later, `{"n":${n}}`));
  });

  it('stop() ends the watch without a change', async () => {
    const watch = watchForRewrite(path.join(root, 'never.json'), 10);
    watch.stop();
    await watch.changed;
  });
});
