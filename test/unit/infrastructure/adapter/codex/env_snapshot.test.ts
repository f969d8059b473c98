import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  diffDotenvSnapshots,
  dotenvModifiedError,
  takeDotenvSnapshot,
  type DotenvSnapshot,
} from '../../../../../src/infrastructure/adapter/codex/env_snapshot.js';

let root: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'snap-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'snap-out-'));
});
afterEach(async () => {
  await chmod(path.join(root, 'locked'), 0o755).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function snap(dir = root): Promise<DotenvSnapshot> {
  const taken = await takeDotenvSnapshot(dir);
  if (!taken.ok) throw new Error(taken.error.message);
  return taken.value.snapshot;
}

describe('takeDotenvSnapshot', () => {
  it('hashes .env* files at any depth, including .git and node_modules, case-sensitively', async () => {
    await mkdir(path.join(root, '.git'), { recursive: true });
    await mkdir(path.join(root, 'sub/node_modules'), { recursive: true });
    await writeFile(path.join(root, '.env'), 'A=1');
    await writeFile(path.join(root, '.envrc'), 'x');
    await writeFile(path.join(root, '.environment'), 'x');
    await writeFile(path.join(root, '.git/.envrc'), 'x');
    await writeFile(path.join(root, 'sub/node_modules/.env'), 'x');
    await writeFile(path.join(root, '.ENV'), 'not matched');
    await writeFile(path.join(root, 'my.env'), 'not matched');
    const snapshot = await snap();
    expect([...snapshot.keys()].sort()).toEqual(['.env', '.environment', '.envrc', '.git/.envrc', 'sub/node_modules/.env']);
    // SHA-256 of "A=1"
    // sha256('A=1')
    expect(snapshot.get('.env')).toBe(createHash('sha256').update('A=1').digest('hex'));
  });

  it('skips directories named .env* but walks into them', async () => {
    await mkdir(path.join(root, '.env.d'), { recursive: true });
    await writeFile(path.join(root, '.env.d/.env.inner'), 'x');
    expect([...(await snap()).keys()]).toEqual(['.env.d/.env.inner']);
  });

  it('follows symlinked files, skips dangling links and does not descend symlinked directories', async () => {
    await writeFile(path.join(outside, 'target'), 'secret');
    await mkdir(path.join(outside, 'dir'));
    await writeFile(path.join(outside, 'dir/.env'), 'x');
    await symlink(path.join(outside, 'target'), path.join(root, '.env.link'));
    await symlink(path.join(outside, 'missing'), path.join(root, '.env.dangling'));
    await symlink(path.join(outside, 'dir'), path.join(root, 'linked'));
    const snapshot = await snap();
    expect([...snapshot.keys()]).toEqual(['.env.link']);
    // The target's content is hashed: changing it outside the project is a change.
    await writeFile(path.join(outside, 'target'), 'rotated');
    expect(diffDotenvSnapshots(snapshot, await snap()).changed).toEqual(['.env.link']);
  });

  it('gives an empty snapshot for a missing root', async () => {
    expect((await snap(path.join(root, 'nope'))).size).toBe(0);
  });

  it('skips unreadable directories silently', async () => {
    if (process.getuid?.() === 0) return expect(true).toBe(true); // root reads everything
    await mkdir(path.join(root, 'locked'));
    await writeFile(path.join(root, 'locked/.env'), 'x');
    await chmod(path.join(root, 'locked'), 0);
    expect([...(await snap()).keys()]).toEqual([]);
  });

  it('reports an unreadable .env file as a one-line snapshot_failed error (exit 1)', async () => {
    // Reading /proc/self/mem at offset 0 fails with EIO even for root: a portable-enough read error.
    await symlink('/proc/self/mem', path.join(root, '.env'));
    const taken = await takeDotenvSnapshot(root);
    expect(taken.ok).toBe(false);
    if (!taken.ok) {
      expect(taken.error.exitCode).toBe(1);
      expect(taken.error.reason).toBe('snapshot_failed');
      expect(taken.error.message).toMatch(/^dotenv snapshot failed: .*(EIO|EACCES)/);
      expect(taken.error.message).not.toContain('\n');
    }
  });

  it('ignores mtime: touch alone is not a change', async () => {
    await writeFile(path.join(root, '.env'), 'same');
    const before = await snap();
    await writeFile(path.join(root, '.env'), 'same');
    const diff = diffDotenvSnapshots(before, await snap());
    expect(diff).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('diffDotenvSnapshots and the exit-4 message', () => {
  it('lists added, removed and changed sorted, in V661 wording', async () => {
    await mkdir(path.join(root, 'sub'));
    await writeFile(path.join(root, '.environment'), 'x');
    await writeFile(path.join(root, 'sub/.env.local'), 'v1');
    const before = await snap();
    await unlink(path.join(root, '.environment'));
    await writeFile(path.join(root, '.env.new'), 'n');
    await writeFile(path.join(root, 'sub/.env.local'), 'v2');
    const error = dotenvModifiedError(diffDotenvSnapshots(before, await snap()));
    expect(error.exitCode).toBe(4);
    expect(error.reason).toBe('dotenv_modified');
    expect(error.message).toBe(
      'deny rule violation: .env/.env.* files were modified by codex (added=.env.new; removed=.environment; changed=sub/.env.local)',
    );
  });

  it('reports a file swapped for a symlink to identical content as changed', async () => {
    await writeFile(path.join(root, '.env'), 'same');
    await writeFile(path.join(outside, 'copy'), 'same');
    const before = await snap();
    await unlink(path.join(root, '.env'));
    await symlink(path.join(outside, 'copy'), path.join(root, '.env'));
    expect(diffDotenvSnapshots(before, await snap())).toEqual({ added: [], removed: [], changed: ['.env'] });
  });

  it('joins several entries with commas and omits empty parts', () => {
    const before = new Map([['b', '1']]);
    const after = new Map([
      ['b', '1'],
      ['.env.z', '2'],
      ['.env.a', '3'],
    ]);
    expect(dotenvModifiedError(diffDotenvSnapshots(before, after)).message).toBe(
      'deny rule violation: .env/.env.* files were modified by codex (added=.env.a,.env.z)',
    );
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, not UTF-16 unit (astral after U+FFFF)', () => {
    const keys = ['\u{1F600}', '\uFF21', 'a'];
    expect([...keys].sort(compareCodePoints)).toEqual(['a', '\uFF21', '\u{1F600}']);
    expect([...keys].sort()).toEqual(['a', '\u{1F600}', '\uFF21']); // what JS would do
  });
});
