import { mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openedPath } from '../../../../src/infrastructure/fs/opened_path.js';

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'opened-path-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openedPath', () => {
  it('names the file the descriptor opened, through a symlink too', async () => {
    writeFileSync(path.join(dir, 'real.txt'), 'x');
    symlinkSync(path.join(dir, 'real.txt'), path.join(dir, 'link.txt'));
    const handle = await open(path.join(dir, 'link.txt'), 'r');
    try {
      expect(await openedPath(handle, path.join(dir, 'link.txt'))).toBe(path.join(dir, 'real.txt'));
    } finally {
      await handle.close();
    }
  });

  it('follows the descriptor, not the name, once the file has moved', async () => {
    writeFileSync(path.join(dir, 'a.txt'), 'x');
    const handle = await open(path.join(dir, 'a.txt'), 'r');
    try {
      renameSync(path.join(dir, 'a.txt'), path.join(dir, 'b.txt'));
      writeFileSync(path.join(dir, 'a.txt'), 'planted');
      const opened = await openedPath(handle, path.join(dir, 'a.txt'));
      // Linux names the moved file; elsewhere the name now leads to another inode: no answer
      expect(opened === path.join(dir, 'b.txt') || opened === null).toBe(true);
      expect(opened).not.toBe(path.join(dir, 'a.txt'));
    } finally {
      await handle.close();
    }
  });
});
