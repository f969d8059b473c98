/**
 * backup.ts: a config file is replaced atomically (mode 0600), after a timestamped backup of the
 * old text that never overwrites an older backup.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupName, writeWithBackup } from '../../../../src/mcp/setup/backup.js';

let root: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'backup-')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('backupName', () => {
  it('is <file>.bak-YYYYMMDDTHHMMSSZ in UTC, without milliseconds', () => {
    expect(backupName('/h/.codex/config.toml', new Date('2026-12-02T03:04:05.678Z'))).toBe('/h/.codex/config.toml.bak-20261202T030405Z');
  });
});

describe('writeWithBackup', () => {
  it('writes a new file (creating its directory) with mode 0600 and no backup', async () => {
    const file = path.join(root, 'new', 'deep', 'config.toml');
    expect(await writeWithBackup(file, 'a = 1\n', false)).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe('a = 1\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file))).toEqual(['config.toml']);
  });

  it('backs up the old text before replacing it, and never overwrites an older backup', async () => {
    const dir = path.join(root, 'existing');
    mkdirSync(dir);
    const file = path.join(dir, 'config.toml');
    writeFileSync(file, 'old 1\n');
    const first = await writeWithBackup(file, 'new 1\n', true);
    writeFileSync(file, 'old 2\n');
    const second = await writeWithBackup(file, 'new 2\n', true);
    writeFileSync(file, 'old 3\n');
    const third = await writeWithBackup(file, 'new 3\n', true);
    const backups = [first, second, third] as string[];
    expect(new Set(backups).size).toBe(3);
    for (const b of backups) expect(b).toMatch(/config\.toml\.bak-\d{8}T\d{6}Z(\.\d+)?$/);
    expect(backups.map((b) => readFileSync(b, 'utf8'))).toEqual(['old 1\n', 'old 2\n', 'old 3\n']);
    expect(readFileSync(file, 'utf8')).toBe('new 3\n');
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('replaces a symlink at the file name by a file, leaving the link target untouched', async () => {
    const dir = path.join(root, 'linked');
    mkdirSync(dir);
    const target = path.join(root, 'outside.toml');
    writeFileSync(target, 'OUTSIDE\n');
    const file = path.join(dir, 'config.toml');
    symlinkSync(target, file);
    const backup = await writeWithBackup(file, 'mine\n', true);
    expect(readFileSync(target, 'utf8')).toBe('OUTSIDE\n');
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    expect(readFileSync(backup as string, 'utf8')).toBe('OUTSIDE\n');
  });

  it('fails (nothing replaced) when the old file cannot be backed up: a directory in its place', async () => {
    const file = path.join(root, 'isdir');
    mkdirSync(file);
    await expect(writeWithBackup(file, 'x', true)).rejects.toThrow();
    expect(statSync(file).isDirectory()).toBe(true);
    expect(existsSync(path.join(root, `isdir.tmp-${process.pid}`))).toBe(false);
  });
});
