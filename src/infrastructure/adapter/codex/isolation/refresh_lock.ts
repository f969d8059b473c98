/**
 * One OAuth refresh for many runs. When the shared ChatGPT-mode token is expired or close to it,
 * parallel children would each spend the same refresh token (codex-cli.md §11.7). A lock file next
 * to the shared auth.json serialises them: the first run refreshes, the others wait until the file
 * has been rewritten (or the first run ended), find a fresh token and start without refreshing.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';

/** Refresh within this margin before `exp` (codex refreshes about 5 minutes early). */
export const REFRESH_SKEW_MS = 5 * 60_000;
/** codex also refreshes when `last_refresh` is older than about 8 days. */
export const REFRESH_MAX_AGE_MS = 8 * 24 * 3600_000;

/** Whether a refresh is due, and why. */
export interface RefreshDecision {
  due: boolean;
  reason: string;
}

function jwtExpiryMs(token: unknown): number | null {
  if (typeof token !== 'string') return null;
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Reads an auth.json text and decides whether codex is about to refresh its tokens. */
export function refreshDue(authJson: string, nowMs: number): RefreshDecision {
  let auth: { tokens?: { access_token?: unknown } | null; last_refresh?: unknown };
  try {
    auth = JSON.parse(authJson) as typeof auth;
  } catch {
    return { due: false, reason: 'auth.json is not JSON' };
  }
  if (!auth.tokens) return { due: false, reason: 'API-key mode' };
  const exp = jwtExpiryMs(auth.tokens.access_token);
  if (exp !== null && exp <= nowMs + REFRESH_SKEW_MS) return { due: true, reason: 'access token expired or about to expire' };
  if (typeof auth.last_refresh !== 'string') return { due: true, reason: 'no last_refresh' };
  const last = Date.parse(auth.last_refresh);
  if (Number.isNaN(last) || nowMs - last > REFRESH_MAX_AGE_MS) return { due: true, reason: 'last_refresh too old' };
  return { due: false, reason: 'token fresh' };
}

/** A held lock. */
export interface RefreshLock {
  release(): Promise<void>;
}

/** Lock tuning; the defaults suit codex start-up times. */
export interface LockOptions {
  /** Give up waiting after this long and start anyway (default 120 s). */
  timeoutMs?: number;
  /** A lock older than this, or whose owner process is gone, is broken (default 180 s). */
  staleMs?: number;
  pollMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  createdAt: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const owner = JSON.parse(await readFile(lockPath, 'utf8')) as LockOwner;
    if (Date.now() - owner.createdAt > staleMs) return true;
    return owner.host === hostname() && !processAlive(owner.pid);
  } catch {
    // Unreadable or half-written: judge by age so a crash between create and write cannot wedge us.
    const info = await stat(lockPath).catch(() => null);
    return info === null || Date.now() - info.mtimeMs > Math.min(staleMs, 5000);
  }
}


/**
 * Takes the cross-process lock `lockPath` (O_EXCL create), waiting for a live holder and breaking
 * a stale one. Resolves null when `timeoutMs` passed without getting it.
 */
export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<RefreshLock | null> {
  const { timeoutMs = 120_000, staleMs = 180_000, pollMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      const owner: LockOwner = { pid: process.pid, host: hostname(), createdAt: Date.now() };
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await unlink(lockPath).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return null; // cannot lock here: do not block the run
    }
    if (await isStale(lockPath, staleMs)) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) return null;
    await delay(pollMs);
  }
}

/** Resolves when `file` is replaced or rewritten (inode, size or mtime change), polling. */
export function watchForRewrite(file: string, pollMs = 100): { changed: Promise<void>; stop(): void } {
  let stopped = false;
  const changed = (async () => {
    const first = await stat(file).catch(() => null);
    const key = (s: typeof first) => (s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'none');
    const initial = key(first);
    while (!stopped) {
      await delay(pollMs);
      if (key(await stat(file).catch(() => null)) !== initial) return;
    }
  })();
  return { changed, stop: () => (stopped = true) };
}
