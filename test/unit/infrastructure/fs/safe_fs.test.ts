/**
 * Issue 9, confinement helpers: nothing is created, truncated, written or read through a symlink
 * the run did not create; run dirs in impossible places fail at once; a pinned directory notices
 * a swap; one call per key at a time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodexChildError } from '../../../../src/domain/errors.js';
import { errorOf } from '../../../support/result.js';
import { prepareRunDirs } from '../../../../src/infrastructure/adapter/codex/isolation/run_dirs.js';
import { pinDir } from '../../../../src/infrastructure/fs/pinned_dir.js';
import { copyFileNoFollow, createEmptyFile, ensureOwnDir, makeDirWalk, readFileNoFollow, UnsafePathError } from '../../../../src/infrastructure/fs/safe_fs.js';
import { KeyedMutex } from '../../../../src/mcp/dir_locks.js';
import { QueueAbortedError } from '../../../../src/mcp/fifo_semaphore.js';

let root: string;
let outside: string;
let secret: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'safe-fs-')));
  outside = path.join(root, 'outside');
  mkdirSync(outside);
  secret = path.join(outside, 'secret.txt');
  writeFileSync(secret, 'OUTSIDE CONTENT\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fresh = (name: string) => {
  const dir = path.join(root, name);
  mkdirSync(dir);
  return dir;
};

async function refusal(work: Promise<unknown>): Promise<UnsafePathError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnsafePathError);
  return error as UnsafePathError;
}

describe('createEmptyFile / writeFileNoFollow / copyFileNoFollow / readFileNoFollow', () => {
  it('refuses a planted symlink with one line naming the path, and the target is untouched', async () => {
    const dir = fresh('files');
    const link = path.join(dir, 'codex_stdout.txt');
    symlinkSync(secret, link);
    const error = await refusal(createEmptyFile(link));
    expect(error.message).toBe(`refusing to follow a symlink the run did not create: ${link}`);
    await refusal(copyFileNoFollow(secret, link));
    await refusal(readFileNoFollow(link));
    expect(readFileSync(secret, 'utf8')).toBe('OUTSIDE CONTENT\n');
  });

  it('refuses a FIFO without hanging, and empties a regular file', async () => {
    const dir = fresh('fifo');
    const fifo = path.join(dir, 'codex_stderr.txt');
    execFileSync('mkfifo', [fifo]);
    expect((await refusal(createEmptyFile(fifo))).message).toBe(`refusing a non-regular file: ${fifo}`);
    const file = path.join(dir, 'log.txt');
    writeFileSync(file, 'old run');
    await createEmptyFile(file);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(await readFileNoFollow(path.join(dir, 'missing'))).toBeNull();
  });
});

describe('ensureOwnDir / prepareRunDirs', () => {
  it('refuses .codex_home or .tmp planted as symlinks and builds nothing outside', async () => {
    for (const name of ['.codex_home', '.tmp']) {
      const run = fresh(`run${name}`);
      const target = path.join(root, `target${name}`);
      mkdirSync(target);
      symlinkSync(target, path.join(run, name));
      const prepared = await prepareRunDirs(run);
      const error = errorOf(prepared);
      expect(error).toBeInstanceOf(CodexChildError);
      expect(error?.reason).toBe('run_dir_failed');
      expect(error?.message).toBe(`cannot prepare run dir ${path.join(run, name)}: refusing to follow a symlink the run did not create: ${path.join(run, name)}`);
      expect(readdirSync(target)).toEqual([]);
    }
  });

  it('reuses real directories and says when it created one', async () => {
    const dir = path.join(fresh('own'), 'sub');
    expect(await ensureOwnDir(dir)).toBe(true);
    expect(await ensureOwnDir(dir)).toBe(false);
  });
});

describe('makeDirWalk', () => {
  it('fails at once under /proc and /sys, and where a file is in the way', async () => {
    for (const dir of ['/proc/self/x/y', '/proc/1/x', ...(existsSync('/sys/kernel') ? ['/sys/kernel/codex-child-x'] : [])]) {
      const error = await refusal(makeDirWalk(dir));
      expect(error.message).toMatch(/^cannot create directory \/(proc|sys)\/\S+: E[A-Z]+$/);
    }
    const file = path.join(root, 'a-file');
    writeFileSync(file, '');
    expect((await refusal(makeDirWalk(path.join(file, 'run')))).message).toBe(`cannot create directory ${path.join(file, 'run')}: ENOTDIR`);
  }, 10_000);

  it('creates every missing component', async () => {
    const deep = path.join(root, 'walk', 'a', 'b', 'c');
    await makeDirWalk(deep);
    expect(existsSync(deep)).toBe(true);
  });

  it('fails the run dir preparation with one line for CODEX_RUN_DIR under /proc', async () => {
    const prepared = await prepareRunDirs('/proc/self/x');
    expect(errorOf(prepared)).toBeInstanceOf(CodexChildError);
    expect(errorOf(prepared)?.message).toBe('cannot prepare run dir /proc/self/x: cannot create directory /proc/self/x: ENOENT');
  });
});

describe('pinDir', () => {
  it('keeps reaching the checked directory and reports a swap for a symlink', async () => {
    const dir = fresh('pinned');
    writeFileSync(path.join(dir, 'mine.txt'), 'mine');
    const pin = await pinDir(dir);
    try {
      expect(await pin.verify()).toBeNull();
      renameSync(dir, path.join(root, 'pinned-moved'));
      symlinkSync(outside, dir);
      expect(await pin.verify()).toBe(`${dir} changed since it was checked (replaced or swapped for a symlink); nothing more is done in it`);
      if (existsSync('/proc/self/fd')) expect(readFileSync(pin.inside('mine.txt'), 'utf8')).toBe('mine');
    } finally {
      await pin.close();
    }
  });

  it('refuses to pin a symlink', async () => {
    const link = path.join(root, 'pin-link');
    symlinkSync(outside, link);
    // Linux says ENOTDIR for O_DIRECTORY|O_NOFOLLOW on a link, other systems ELOOP.
    const error = (await pinDir(link).then(() => null, (e: NodeJS.ErrnoException) => e)) as NodeJS.ErrnoException;
    expect(['ELOOP', 'ENOTDIR']).toContain(error.code);
  });
});

describe('KeyedMutex', () => {
  it('lets a second holder of a key in only after the first released it; other keys run freely', async () => {
    const locks = new KeyedMutex();
    const order: string[] = [];
    const first = await locks.acquire('dir-a');
    const second = locks.acquire('dir-a').then((release) => {
      order.push('second');
      return release;
    });
    const other = await locks.acquire('dir-b');
    order.push('other');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['other']);
    order.push('first released');
    first();
    (await second)();
    other();
    expect(order).toEqual(['other', 'first released', 'second']);
    expect(locks.size).toBe(0);
  });

  it('drops a waiter whose signal fires, and the next waiter still follows the holder', async () => {
    const locks = new KeyedMutex();
    const holder = await locks.acquire('k');
    const abort = new AbortController();
    const leaving = locks.acquire('k', abort.signal);
    const third = locks.acquire('k');
    abort.abort('gone');
    await expect(leaving).rejects.toBeInstanceOf(QueueAbortedError);
    let thirdIn = false;
    void third.then(() => (thirdIn = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdIn).toBe(false);
    holder();
    (await third)();
    expect(locks.size).toBe(0);
  });
});
