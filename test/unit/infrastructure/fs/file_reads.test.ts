/**
 * readTailText / realRegularFile: tolerant reads that never follow a planted link for a log, never
 * block on a FIFO, and never hold a huge file in memory.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTailText, realRegularFile } from '../../../../src/infrastructure/fs/file_reads.js';

let root: string;
const file = (name: string, data: string | Buffer) => {
  const p = path.join(root, name);
  writeFileSync(p, data);
  return p;
};
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'file-reads-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readTailText', () => {
  it('returns the whole text of a short file and the last maxBytes bytes of a longer one', async () => {
    const p = file('log.txt', 'first line\nsecond line\n');
    expect(await readTailText(p, 1000)).toBe('first line\nsecond line\n');
    expect(await readTailText(p, 12)).toBe('second line\n');
    expect(await readTailText(p, 0)).toBe('');
  });

  it('reads only the end of a huge (sparse) file', async () => {
    const p = path.join(root, 'huge.log');
    writeFileSync(p, '');
    truncateSync(p, 2 * 1024 * 1024 * 1024); // 2 GiB of holes: reading it whole would fail
    execFileSync('sh', ['-c', 'printf "THE END" >> "$1"', 'sh', p]);
    expect(await readTailText(p, 7)).toBe('THE END');
  });

  it('turns bytes cut inside a UTF-8 character into U+FFFD', async () => {
    const p = file('utf8.txt', 'a€b'); // € is 3 bytes: the last 3 bytes are two of € and b
    expect(await readTailText(p, 3)).toBe('\uFFFD\uFFFDb');
  });

  it("gives '' for a missing file, a directory, a FIFO (without blocking) and a symlink, even to a real file", async () => {
    const target = file('target.txt', 'SECRET');
    const link = path.join(root, 'link.txt');
    symlinkSync(target, link);
    const dir = path.join(root, 'dir');
    mkdirSync(dir);
    const fifo = path.join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const p of [path.join(root, 'missing'), dir, fifo, link, path.join(target, 'below-a-file')]) expect(await readTailText(p, 100), p).toBe('');
  });
});

describe('realRegularFile', () => {
  it('is the real path of a regular file, also through links', async () => {
    const target = file('real.txt', 'x');
    const link = path.join(root, 'to-real');
    symlinkSync('real.txt', link);
    const chain = path.join(root, 'to-to-real');
    symlinkSync(link, chain);
    expect(await realRegularFile(target)).toBe(target);
    expect(await realRegularFile(chain)).toBe(target);
  });

  it('is null for a directory, a FIFO, a dangling link, a link loop and a missing path', async () => {
    const dir = path.join(root, 'adir');
    mkdirSync(dir);
    const dirLink = path.join(root, 'to-dir');
    symlinkSync(dir, dirLink);
    const fifo = path.join(root, 'rfifo');
    execFileSync('mkfifo', [fifo]);
    const dangling = path.join(root, 'dangling');
    symlinkSync('nothing-here', dangling);
    const loop = path.join(root, 'loop');
    symlinkSync('loop', loop);
    for (const p of [dir, dirLink, fifo, dangling, loop, path.join(root, 'none')]) expect(await realRegularFile(p), p).toBeNull();
  });
});
