/**
 * pinDir: a directory opened once; its files are reached through the descriptor even after its
 * path is swapped for a symlink, and verify() notices the swap. Symlinks and files are refused.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinDir } from '../../../../src/infrastructure/fs/pinned_dir.js';

let root: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'pinned-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pinDir', () => {
  it('refuses a symlink, a file and a missing path', async () => {
    mkdirSync(path.join(root, 'real'));
    symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    writeFileSync(path.join(root, 'file'), 'x');
    await expect(pinDir(path.join(root, 'link'))).rejects.toMatchObject({ code: expect.stringMatching(/^(ELOOP|ENOTDIR)$/) });
    await expect(pinDir(path.join(root, 'file'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(pinDir(path.join(root, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps reaching the pinned directory after its path is swapped for a symlink; verify() says so', async () => {
    const dir = path.join(root, 'variant');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'own.txt'), 'OWN');
    const outside = path.join(root, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'own.txt'), 'OUTSIDE');
    const pin = await pinDir(dir);
    try {
      expect(pin.real).toBe(dir);
      expect(pin.identity).toMatch(/^\d+:\d+$/);
      expect(await pin.verify()).toBeNull();
      renameSync(dir, path.join(root, 'moved'));
      symlinkSync(outside, dir);
      expect(await pin.verify()).toBe(`${dir} changed since it was checked (replaced or swapped for a symlink); nothing more is done in it`);
      if (process.platform === 'linux') expect(readFileSync(pin.inside('own.txt'), 'utf8')).toBe('OWN');
    } finally {
      await pin.close();
      await pin.close(); // idempotent
    }
  });

  it('verify() notices a directory replaced by another one at the same path', async () => {
    const dir = path.join(root, 'replaced');
    mkdirSync(dir);
    const pin = await pinDir(dir);
    rmSync(dir, { recursive: true });
    expect(await pin.verify()).toMatch(/changed since it was checked/);
    mkdirSync(dir);
    expect(await pin.verify()).toMatch(/changed since it was checked/);
    await pin.close();
  });

  it('verify() refuses the same directory reached through a symlink now (the path is no longer link-free)', async () => {
    const dir = path.join(root, 'relinked');
    mkdirSync(dir);
    const pin = await pinDir(dir);
    renameSync(dir, path.join(root, 'relinked-moved'));
    symlinkSync(path.join(root, 'relinked-moved'), dir);
    expect(await pin.verify()).toMatch(/changed since it was checked/);
    await pin.close();
  });
});
