/**
 * Bounds of the `.env*` snapshot (issue 9, item 5): bounded open files, a size cap above which a
 * file is fingerprinted by its ends, and an abort signal that stops the walk and every read.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  diffDotenvSnapshots,
  fullHashMaxBytesFrom,
  takeDotenvSnapshot,
  type DotenvSnapshot,
  type SnapshotOptions,
} from '../../../../../src/infrastructure/adapter/codex/env_snapshot.js';
import { REPO_ROOT } from '../../../../support/wrapper_harness.js';

const MiB = 1024 * 1024;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'snap-bounds-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function snap(options: SnapshotOptions = {}): Promise<{ snapshot: DotenvSnapshot; bounded: string[] }> {
  const taken = await takeDotenvSnapshot(root, options);
  if (!taken.ok) throw new Error(taken.error.message);
  return taken.value;
}

async function writeAt(file: string, position: number, text: string): Promise<void> {
  const handle = await open(file, 'r+');
  await handle.write(Buffer.from(text), 0, text.length, position);
  await handle.close();
}

describe('open files', () => {
  it(
    'snapshots 100,000 .env* files in a process limited to 256 open files (ulimit -n 256)',
    async () => {
      for (let d = 0; d < 100; d += 1) {
        const dir = path.join(root, `d${d}`);
        mkdirSync(dir);
        for (let f = 0; f < 1000; f += 1) writeFileSync(path.join(dir, `.env.${f}`), `K${f}=${d}\n`);
      }
      const script = [
        `import { readFileSync } from 'node:fs';`,
        `const limits = readFileSync('/proc/self/limits', 'utf8');`,
        `const { takeDotenvSnapshot } = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist/src/infrastructure/adapter/codex/env_snapshot.js'))});`,
        `const r = await takeDotenvSnapshot(${JSON.stringify(root)});`,
        `const sample = r.ok ? r.value.snapshot.get('d42/.env.7') : null;`,
        `console.log(JSON.stringify({ limit: /Max open files\\s+(\\d+)/.exec(limits)[1], ok: r.ok, size: r.ok ? r.value.snapshot.size : 0, sample, error: r.ok ? null : r.error.message }));`,
      ].join('\n');
      const { stdout } = await promisify(execFile)('bash', ['-c', 'ulimit -n 256; exec "$0" --input-type=module -e "$1"', process.execPath, script], {
        timeout: 280_000,
        maxBuffer: 1024 * 1024,
      });
      const result = JSON.parse(stdout) as { limit: string; ok: boolean; size: number; sample: string; error: string | null };
      expect(result.limit).toBe('256'); // the limit really applied to the snapshotting process
      expect(result.error).toBeNull();
      expect(result.ok).toBe(true);
      expect(result.size).toBe(100_000);
      expect(result.sample).toBe(createHash('sha256').update('K7=42\n').digest('hex'));
    },
    300_000,
  );

  it('at most `openFiles` files are open at once (counted from /proc/self/fd)', async () => {
    // Sparse 3 MiB files: several reads each, so a descriptor stays open across event-loop turns.
    for (let i = 0; i < 100; i += 1) {
      await writeFile(path.join(root, `.env.${i}`), '');
      await truncate(path.join(root, `.env.${i}`), 3 * MiB);
    }
    const fds = () => readFdTargets().filter((target) => target.startsWith(root)).length;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, fds())), 1);
    const taken = await snap({ openFiles: 4 });
    clearInterval(sampler);
    peak = Math.max(peak, fds());
    expect(taken.snapshot.size).toBe(100);
    expect(peak).toBeLessThanOrEqual(4);
  });
});

function readFdTargets(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.push(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed while we looked
    }
  }
  return out;
}

describe('size cap', () => {
  it('fingerprints a sparse 20 GiB .env.big by size, times, inode and its ends, and lists it as bounded', async () => {
    const big = path.join(root, '.env.big');
    await writeFile(big, 'HEAD=1\n');
    await truncate(big, 20 * 1024 * MiB);
    await writeFile(path.join(root, '.env'), 'A=1');
    const { snapshot, bounded } = await snap();
    expect(bounded).toEqual(['.env.big']);
    const info = await stat(big, { bigint: true });
    expect(snapshot.get('.env.big')).toMatch(new RegExp(`^bounded:size=${info.size},mtime=${info.mtimeNs},ctime=\\d+,ino=${info.ino},ends=[0-9a-f]{64}$`));
    expect(snapshot.get('.env')).toBe(createHash('sha256').update('A=1').digest('hex')); // under the cap: V661's hash
  });

  it('a change at either end, in the middle (times restored) or of the size is a change', async () => {
    const big = path.join(root, '.env.big');
    await writeFile(big, '');
    await truncate(big, 8 * MiB);
    const options = { fullHashMaxBytes: MiB };
    let before = (await snap(options)).snapshot;
    const expectChanged = async () => {
      const after = (await snap(options)).snapshot;
      expect(diffDotenvSnapshots(before, after).changed).toEqual(['.env.big']);
      before = after;
    };
    await writeAt(big, 0, 'A');
    await expectChanged();
    await writeAt(big, 8 * MiB - 1, 'Z');
    await expectChanged();
    // The middle is not read: a hostile edit that also restores mtime is caught by ctime.
    const { atime, mtime } = await stat(big);
    await new Promise((resolve) => setTimeout(resolve, 20)); // ctime has ns resolution, but let it move
    await writeAt(big, 4 * MiB, 'M');
    await utimes(big, atime, mtime);
    await expectChanged();
    await truncate(big, 9 * MiB);
    await expectChanged();
  });

  it('files at or under the cap are hashed whole, exactly as before', async () => {
    const file = path.join(root, '.env.exact');
    const data = Buffer.alloc(MiB, 7);
    await writeFile(file, data);
    const { snapshot, bounded } = await snap({ fullHashMaxBytes: MiB });
    expect(bounded).toEqual([]);
    expect(snapshot.get('.env.exact')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('reads the cap from CODEX_DOTENV_FULL_HASH_MAX_BYTES, defaulting to 64 MiB for anything invalid', () => {
    expect(fullHashMaxBytesFrom({})).toBe(64 * MiB);
    expect(fullHashMaxBytesFrom({ CODEX_DOTENV_FULL_HASH_MAX_BYTES: '1048576' })).toBe(MiB);
    for (const bad of ['', '0', '-5', '1e9', 'abc', '99999999999999999999']) {
      expect(fullHashMaxBytesFrom({ CODEX_DOTENV_FULL_HASH_MAX_BYTES: bad })).toBe(64 * MiB);
    }
  });
});

describe('abort', () => {
  it('an abort during a whole-file hash stops the read and reports aborted', async () => {
    const big = path.join(root, '.env.huge');
    await writeFile(big, '');
    await truncate(big, 1024 * 1024 * MiB); // 1 TiB sparse, hashed whole: hours unless the abort works
    const controller = new AbortController();
    const taking = takeDotenvSnapshot(root, { signal: controller.signal, fullHashMaxBytes: Number.MAX_SAFE_INTEGER });
    await waitForOpen(big);
    controller.abort();
    const taken = await taking;
    expect(taken.ok).toBe(false);
    if (!taken.ok) {
      expect(taken.error.reason).toBe('cancelled');
      expect(taken.error.message).toBe('dotenv snapshot aborted');
    }
    expect(readFdTargets().filter((target) => target === big)).toEqual([]); // its descriptor is closed
  }, 120_000);

  it('an already aborted signal walks nothing', async () => {
    await mkdir(path.join(root, 'sub'));
    await writeFile(path.join(root, 'sub/.env'), 'x');
    const taken = await takeDotenvSnapshot(root, { signal: AbortSignal.abort() });
    expect(taken.ok ? 'ok' : taken.error.reason).toBe('cancelled');
  });
});

async function waitForOpen(file: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!readFdTargets().includes(file)) {
    if (Date.now() > deadline) throw new Error(`${file} was never opened`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
