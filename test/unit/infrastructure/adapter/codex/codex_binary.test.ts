import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexNotFoundError, resolveCodexBin } from '../../../../../src/infrastructure/adapter/codex/codex_binary.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bin-'));
  await mkdir(path.join(dir, 'bin'));
  await writeFile(path.join(dir, 'bin/codex'), '#!/bin/sh\n');
  await chmod(path.join(dir, 'bin/codex'), 0o755);
  await writeFile(path.join(dir, 'bin/noexec'), '#!/bin/sh\n');
  await mkdir(path.join(dir, 'bin/adir'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('resolveCodexBin (deviation §13 f)', () => {
  it('looks a bare name up on PATH', async () => {
    expect(await resolveCodexBin('codex', `/nonexistent:${dir}/bin`, '/')).toBe(path.join(dir, 'bin/codex'));
    expect(await resolveCodexBin('codex', '/nonexistent', '/')).toBeNull();
  });
  it('checks a path with a slash directly, relative to cwd', async () => {
    expect(await resolveCodexBin('./bin/codex', '', dir)).toBe(path.join(dir, 'bin/codex'));
    expect(await resolveCodexBin(path.join(dir, 'bin/noexec'), '', '/')).toBeNull();
    expect(await resolveCodexBin(path.join(dir, 'bin/adir'), '', '/')).toBeNull();
    expect(await resolveCodexBin(path.join(dir, 'bin/missing'), '', '/')).toBeNull();
  });
  it('reports the V661 message and exit code', () => {
    const error = codexNotFoundError('x');
    expect([error.message, error.exitCode, error.reason]).toEqual(['codex command not found', 1, 'codex_not_found']);
  });
});
