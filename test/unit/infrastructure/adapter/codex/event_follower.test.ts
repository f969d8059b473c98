/**
 * followLines: every complete line of a growing file, in order, once; the unterminated tail on
 * stop(); UTF-8 split across writes decoded whole; a file that appears late is picked up.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followLines } from '../../../../../src/infrastructure/adapter/codex/event_follower.js';

let root: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'follow-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('followLines', () => {
  it('hands over lines as they are appended, and the unterminated tail on stop()', async () => {
    const file = path.join(root, 'grow.jsonl');
    writeFileSync(file, '');
    const lines: string[] = [];
    const follower = followLines(file, (line) => lines.push(line), 5);
    appendFileSync(file, '{"a":1}\n{"b"');
    await until(() => lines.length === 1);
    appendFileSync(file, ':2}\n');
    await until(() => lines.length === 2);
    appendFileSync(file, 'tail without newline');
    await follower.stop();
    expect(lines).toEqual(['{"a":1}', '{"b":2}', 'tail without newline']);
  });

  it('follows a file that does not exist yet, written by a real child process', async () => {
    const file = path.join(root, 'late.jsonl');
    const lines: string[] = [];
    const follower = followLines(file, (line) => lines.push(line), 5);
    const child = spawn('sh', ['-c', 'for i in 1 2 3 4 5; do echo "line $i" >> "$1"; done', 'sh', file], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('close', resolve));
    await follower.stop();
    expect(lines).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  });

  it('decodes a multi-byte character split across two reads as one character', async () => {
    // The character straddles the 64 KiB read boundary, so one read ends inside it.
    const file = path.join(root, 'utf8.jsonl');
    const head = 'a'.repeat(64 * 1024 - 1);
    writeFileSync(file, `${head}€y\n`);
    const lines: string[] = [];
    const follower = followLines(file, (line) => lines.push(line), 10_000);
    await follower.stop();
    expect(lines).toEqual([`${head}€y`]);
  });

  it('reads a large file in more than one 64 KiB read, keeping every line', async () => {
    const file = path.join(root, 'big.jsonl');
    const expected = Array.from({ length: 5000 }, (_, i) => `{"n":${i},"pad":"${'p'.repeat(40)}"}`);
    writeFileSync(file, `${expected.join('\n')}\n`);
    const lines: string[] = [];
    const follower = followLines(file, (line) => lines.push(line), 10_000);
    await follower.stop();
    expect(lines).toEqual(expected);
  });

  it('stop() twice delivers nothing twice; a missing file stops cleanly with no lines', async () => {
    const lines: string[] = [];
    const follower = followLines(path.join(root, 'never'), (line) => lines.push(line), 5);
    await follower.stop();
    await follower.stop();
    expect(lines).toEqual([]);
    const file = path.join(root, 'once.jsonl');
    writeFileSync(file, 'one\ntwo');
    const seen: string[] = [];
    const f2 = followLines(file, (line) => seen.push(line), 5);
    await f2.stop();
    await f2.stop();
    expect(seen).toEqual(['one', 'two']);
  });
});
