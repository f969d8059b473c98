/** read_text_tail: code points, multibyte text, big files read from the end, refusals. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCodePoints, MAX_TAIL_CHARS, readTextTail } from '../../../src/mcp/text_tail.js';

let dir: string;
beforeAll(() => {
  dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mcp-tail-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, data: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
};

describe('lastCodePoints', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(lastCodePoints('ab😀c', 2)).toBe('😀c');
    expect(lastCodePoints('😀😀😀', 2)).toBe('😀😀');
    expect(lastCodePoints('abc', 10)).toBe('abc');
  });
});

describe('readTextTail', () => {
  it('returns the last N characters of ASCII and multibyte text', async () => {
    expect(await readTextTail(write('a.txt', 'hello world'), 5, dir)).toEqual({ ok: true, value: 'world' });
    expect(await readTextTail(write('j.txt', 'これは日本語のログです'), 4, dir)).toEqual({ ok: true, value: 'ログです' });
    expect(await readTextTail(write('e.txt', 'x😀y🎨z'), 3, dir)).toEqual({ ok: true, value: 'y🎨z' });
    expect(await readTextTail(write('short.txt', 'é'), 4000, dir)).toEqual({ ok: true, value: 'é' });
  });

  it('never starts with a broken character when the byte window cuts one', async () => {
    // 3-byte characters: a window of 4·N+3 bytes starts mid-character for most N.
    const text = 'あいうえお'.repeat(200);
    for (const n of [1, 2, 3, 7, 50]) {
      const result = await readTextTail(write(`cut${n}.txt`, text), n, dir);
      expect(result).toEqual({ ok: true, value: Array.from(text).slice(-n).join('') });
    }
  });

  it('replaces invalid UTF-8 instead of failing', async () => {
    const result = await readTextTail(write('bad.bin', Buffer.from([0x61, 0xff, 0x62])), 10, dir);
    expect(result).toEqual({ ok: true, value: 'a\uFFFDb' });
  });

  it('reads only the end of a big file', async () => {
    // A sparse 3 GiB file: reading it whole would be slow and exceed Node's Buffer limit.
    const big = path.join(dir, 'big.log');
    execFileSync('bash', ['-c', `truncate -s 3G ${big} && printf 'THE END\\n' >> ${big}`]);
    const result = await readTextTail(big, 8, dir);
    expect(result).toEqual({ ok: true, value: 'THE END\n' });
  });

  it('gives "" for a missing file (and below a missing directory)', async () => {
    expect(await readTextTail(path.join(dir, 'nope.txt'), 10, dir)).toEqual({ ok: true, value: '' });
    expect(await readTextTail(path.join(dir, 'nope/deeper.txt'), 10, dir)).toEqual({ ok: true, value: '' });
  });

  it('refuses directories and FIFOs without hanging', async () => {
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    expect(await readTextTail(sub, 10, dir)).toEqual({ ok: false, error: `path is a directory, not a file: ${sub}` });
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(await readTextTail(fifo, 10, dir)).toEqual({ ok: false, error: `path is not a regular file: ${fifo}` });
    expect(await readTextTail('/dev/null', 10, '/')).toEqual({ ok: false, error: 'path is not a regular file: /dev/null' });
  });

  it('clamps huge max_chars', async () => {
    const text = 'z'.repeat(MAX_TAIL_CHARS + 10);
    const result = await readTextTail(write('clamp.txt', text), MAX_TAIL_CHARS * 10, dir);
    expect(result.ok && result.value.length).toBe(MAX_TAIL_CHARS);
  });
});
