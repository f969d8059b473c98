/**
 * fingerprintFile: SHA-256 of a small file, a bounded fingerprint above the cap, null for anything
 * that is not a regular file (FIFO, directory, dangling link, vanished), link targets count.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, fingerprintFile, SnapshotAbortedError } from '../../../../../src/infrastructure/adapter/codex/dotenv_fingerprint.js';

let root: string;
const buffer = Buffer.alloc(CHUNK_BYTES);
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const file = (name: string, data: string | Buffer) => {
  const p = path.join(root, name);
  writeFileSync(p, data);
  return p;
};

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'dotenv-fp-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fingerprintFile', () => {
  it('hashes a small file whole (SHA-256 of its bytes, as V661)', async () => {
    const p = file('.env', 'KEY=value\n');
    expect(await fingerprintFile(p, 1024, buffer)).toEqual({ value: sha('KEY=value\n'), bounded: false });
  });

  it('hashes a file of several chunks whole, and an empty file as the empty hash', async () => {
    const data = Buffer.alloc(CHUNK_BYTES * 2 + 17, 7);
    expect((await fingerprintFile(file('.env.big', data), data.length, buffer))?.value).toBe(sha(data));
    expect((await fingerprintFile(file('.env.empty', ''), 10, buffer))?.value).toBe(sha(''));
  });

  it('fingerprints a file over the cap by size, times, inode and its ends, not its middle', async () => {
    const p = path.join(root, '.env.huge');
    writeFileSync(p, 'HEAD');
    truncateSync(p, 8 * CHUNK_BYTES); // sparse: cheap to make, costly to hash whole
    const first = await fingerprintFile(p, CHUNK_BYTES, buffer);
    expect(first?.bounded).toBe(true);
    expect(first?.value).toMatch(/^bounded:size=8388608,mtime=\d+,ctime=\d+,ino=\d+,ends=[0-9a-f]{64}$/);
    // Same bytes at the ends, same identity: same fingerprint.
    expect(await fingerprintFile(p, CHUNK_BYTES, buffer)).toEqual(first);
    // A change in the head changes it.
    execFileSync('sh', ['-c', 'printf X | dd of="$1" bs=1 seek=0 conv=notrunc 2>/dev/null', 'sh', p]);
    expect((await fingerprintFile(p, CHUNK_BYTES, buffer))?.value).not.toBe(first?.value);
  });

  it('appends the target of a symlink, so a swap for a link to identical bytes is a change', async () => {
    const a = file('a.txt', 'SAME\n');
    file('b.txt', 'SAME\n');
    const link = path.join(root, '.env.link');
    symlinkSync('a.txt', link);
    const viaA = await fingerprintFile(link, 1024, buffer);
    expect(viaA).toEqual({ value: `${sha('SAME\n')}→a.txt`, bounded: false });
    rmSync(link);
    symlinkSync('b.txt', link);
    const viaB = await fingerprintFile(link, 1024, buffer);
    expect(viaB?.value).toBe(`${sha('SAME\n')}→b.txt`);
    expect((await fingerprintFile(a, 1024, buffer))?.value).toBe(sha('SAME\n'));
  });

  it('gives null for a directory, a FIFO (never opened, so never blocks), a dangling link, a link loop and a missing file', async () => {
    const dir = path.join(root, '.env.dir');
    mkdirSync(dir);
    const fifo = path.join(root, '.env.fifo');
    execFileSync('mkfifo', [fifo]);
    const dangling = path.join(root, '.env.dangling');
    symlinkSync('nowhere', dangling);
    const loop = path.join(root, '.env.loop');
    symlinkSync('.env.loop', loop);
    for (const p of [dir, fifo, dangling, loop, path.join(root, 'missing'), path.join(root, 'a.txt', 'under-a-file')]) {
      expect(await fingerprintFile(p, 1024, buffer), p).toBeNull();
    }
  });

  it('throws SnapshotAbortedError when the signal is already aborted, and passes other errors on', async () => {
    const p = file('.env.abort', 'x');
    const controller = new AbortController();
    controller.abort();
    await expect(fingerprintFile(p, 1024, buffer, controller.signal)).rejects.toBeInstanceOf(SnapshotAbortedError);
    if (process.getuid?.() !== 0) {
      const locked = file('.env.locked', 'secret');
      execFileSync('chmod', ['000', locked]);
      await expect(fingerprintFile(locked, 1024, buffer)).rejects.toMatchObject({ code: 'EACCES' });
    }
  });
});
