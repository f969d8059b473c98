/**
 * readFdCapped (read_stdin.ts): stdin read straight from its descriptor. Real descriptors: a
 * regular file, a pipe a child writes slowly, a closed descriptor, and a non-blocking pipe (as a
 * parent that shares its stdin may leave it), which must hand over to the stream reader.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFdCapped } from '../../../src/cli/read_stdin.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'read-fd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The read end of a pipe a child writes `text` into, `delayS` seconds after starting, as libuv opened it. */
function childPipe(text: string, delayS = 0) {
  const child = spawn('sh', ['-c', `sleep ${delayS}; printf '%s' "$1"`, 'sh', text], { stdio: ['ignore', 'pipe', 'ignore'] });
  const fd = (child.stdout as unknown as { _handle: { fd: number } })._handle.fd;
  return { child, fd };
}

describe('readFdCapped', () => {
  it('reads a file to its end', async () => {
    const file = path.join(dir, 'payload.json');
    const text = `{"a":"${'x'.repeat(300_000)}"}`;
    writeFileSync(file, text);
    const fd = openSync(file, 'r');
    try {
      const read = await readFdCapped(fd, 64 * 1024 * 1024);
      expect(read.eof).toBe(true);
      expect(read.data.toString('utf8')).toBe(text);
    } finally {
      closeSync(fd);
    }
  });

  it('keeps at most limit + 1 bytes of a longer input and still reads to its end', async () => {
    const file = path.join(dir, 'big');
    writeFileSync(file, Buffer.alloc(200_000, 0x61));
    const fd = openSync(file, 'r');
    try {
      const read = await readFdCapped(fd, 1000);
      expect(read).toMatchObject({ eof: true });
      expect(read.data.length).toBe(1001);
    } finally {
      closeSync(fd);
    }
  });

  it('reads a closed descriptor as an empty input', async () => {
    const fd = openSync(path.join(dir, 'gone'), 'w');
    closeSync(fd);
    expect(await readFdCapped(fd, 100)).toEqual({ data: Buffer.alloc(0), eof: true });
  });

  it('stops with eof false on a non-blocking pipe that has nothing yet, so the stream takes over', async () => {
    const { child, fd } = childPipe('late', 5);
    try {
      const read = await readFdCapped(fd, 100);
      expect(read).toEqual({ data: Buffer.alloc(0), eof: false });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('resolves with what it has once the signal fires', async () => {
    const controller = new AbortController();
    const aborted = await readFdCapped(0, 100, AbortSignal.abort());
    expect(aborted).toEqual({ data: Buffer.alloc(0), eof: true });
    controller.abort();
    expect(await readFdCapped(0, 100, controller.signal)).toEqual({ data: Buffer.alloc(0), eof: true });
  });
});
