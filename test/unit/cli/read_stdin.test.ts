/** readStdinCapped: all bytes up to the cap, one byte past it to say "too large", never more held. */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readStdinCapped } from '../../../src/cli/read_stdin.js';

const chunks = (...parts: (string | Buffer)[]) => Readable.from(parts, { objectMode: true });

describe('readStdinCapped', () => {
  it('returns every byte of a payload under the cap, across chunks, strings included', async () => {
    const out = await readStdinCapped(chunks(Buffer.from('{"mode":'), '"plan"', Buffer.from('}')), 100);
    expect(out.toString('utf8')).toBe('{"mode":"plan"}');
  });

  it('returns an empty buffer for empty stdin', async () => {
    expect((await readStdinCapped(chunks(), 10)).length).toBe(0);
  });

  it('keeps a payload of exactly the cap whole (not reported as too large)', async () => {
    const out = await readStdinCapped(chunks('abc', 'de'), 5);
    expect(out.toString()).toBe('abcde');
  });

  it('keeps exactly limit + 1 bytes of a larger payload, cutting inside a chunk', async () => {
    const out = await readStdinCapped(chunks('abcd', 'efgh', 'ijkl'), 5);
    expect(out.toString()).toBe('abcdef');
  });

  it('reads a huge piped stdin from a real child to its end while holding only limit + 1 bytes', async () => {
    // 64 MiB of zeros through a pipe: the stream must be drained (the writer exits 0) and the
    // result stays at the cap.
    const child = spawn('sh', ['-c', 'head -c 67108864 /dev/zero'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const out = await readStdinCapped(child.stdout, 1000);
    expect(out.length).toBe(1001);
    expect(out.every((b) => b === 0)).toBe(true);
    expect(await exited).toBe(0);
  });
});
