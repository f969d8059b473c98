/**
 * doctor.ts, the parts that need no running server: the host-entry rules, the report line, and
 * the checks before the server check (codex found and answering --version, credentials, repo
 * root), which stop the report when the repository root is unusable. Fake codex binaries are
 * real `sh` scripts in a temp dir; the whole doctor is covered in test/e2e/mcp_doctor.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorChecks, entryProblems, formatCheck, runDoctor } from '../../../src/mcp/doctor.js';

let root: string;
let goodCodex: string;
let brokenCodex: string;
let codexHome: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'doctor-unit-')));
  goodCodex = path.join(root, 'codex-good');
  writeFileSync(goodCodex, '#!/bin/sh\necho "WARNING: noise"\necho "codex-cli 0.169.0"\n');
  chmodSync(goodCodex, 0o755);
  brokenCodex = path.join(root, 'codex-broken');
  writeFileSync(brokenCodex, '#!/bin/sh\necho broken >&2\nexit 3\n');
  chmodSync(brokenCodex, 0o755);
  codexHome = path.join(root, 'codex-home');
  mkdirSync(codexHome);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('entryProblems', () => {
  const repo = '/srv/repo';
  it('is empty for a right entry', () => {
    expect(entryProblems({ command: 'npx', args: ['codex-child-mcp'], env: { ART_LOOP_REPO_ROOT: repo, CODEX_BIN: process.execPath } }, repo)).toEqual([]);
    expect(entryProblems({ command: '/opt/bin/codex_child_mcp', env: { CODEX_BIN: process.execPath } }, repo)).toEqual([]);
  });

  it('names each problem: another command, another repo root, no absolute or no existing CODEX_BIN', () => {
    expect(entryProblems({ command: 'other-server', env: { ART_LOOP_REPO_ROOT: '/elsewhere', CODEX_BIN: 'codex' } }, repo)).toEqual([
      'does not start codex-child-mcp',
      'ART_LOOP_REPO_ROOT is /elsewhere',
      'no absolute CODEX_BIN in env',
    ]);
    expect(entryProblems({ command: 'codex-child-mcp', env: { CODEX_BIN: '/no/such/codex' } }, repo)).toEqual(['CODEX_BIN /no/such/codex does not exist']);
  });

  it('treats a missing or malformed env and args as empty, never throwing', () => {
    expect(entryProblems({ command: 'codex-child-mcp' }, repo)).toEqual(['no absolute CODEX_BIN in env']);
    expect(entryProblems({ command: 'codex-child-mcp', args: 'not-an-array', env: ['x'] }, repo)).toEqual(['no absolute CODEX_BIN in env']);
    expect(entryProblems({ command: 'x', env: { CODEX_BIN: 42 } }, repo)).toEqual(['does not start codex-child-mcp', 'no absolute CODEX_BIN in env']);
  });

  it('compares the repo root after resolving it', () => {
    expect(entryProblems({ command: 'codex-child-mcp', env: { ART_LOOP_REPO_ROOT: '/srv/./repo/', CODEX_BIN: process.execPath } }, repo)).toEqual([]);
  });
});

describe('formatCheck', () => {
  it('tags ok, warn and FAIL in a fixed width and appends the fix when there is one', () => {
    expect(formatCheck({ level: 'ok', name: 'codex', detail: '/bin/codex', fix: '' })).toBe('ok   codex: /bin/codex');
    expect(formatCheck({ level: 'warn', name: 'sandbox', detail: 'failed', fix: 'set X' })).toBe('warn sandbox: failed -> fix: set X');
    expect(formatCheck({ level: 'fail', name: 'credentials', detail: 'none', fix: 'codex login' })).toBe('FAIL credentials: none -> fix: codex login');
  });
});

describe('doctorChecks up to the repo root', () => {
  const missingRepo = () => path.join(root, 'no-such-repo');
  const env = (extra: Record<string, string>) => ({ PATH: path.join(root, 'empty-path'), HOME: path.join(root, 'home'), CODEX_HOME: codexHome, ...extra });

  it('fails codex when it cannot be found, and stops after a bad repo root', async () => {
    const checks = await doctorChecks({ repoRoot: missingRepo(), env: env({}), cwd: root });
    expect(checks.map((c) => [c.level, c.name])).toEqual([
      ['fail', 'codex'],
      ['fail', 'credentials'],
      ['fail', 'repo root'],
    ]);
    expect(checks[0]?.detail).toBe('not found (codex)');
    expect(checks[1]?.detail).toBe(`no CODEX_API_KEY, no OPENAI_API_KEY, no ${path.join(codexHome, 'auth.json')}`);
    expect(checks[2]?.detail).toMatch(/^repository root not found: .*no-such-repo/);
  });

  it('reports the version line of a codex that answers, and the exit code of one that does not', async () => {
    const good = await doctorChecks({ repoRoot: missingRepo(), env: env({ CODEX_BIN: goodCodex, CODEX_API_KEY: 'sk-fake-unit' }), cwd: root });
    expect(good[0]).toEqual({ level: 'ok', name: 'codex', detail: `${goodCodex} (codex-cli 0.169.0)`, fix: '' });
    expect(good[1]).toEqual({ level: 'ok', name: 'credentials', detail: 'CODEX_API_KEY is set', fix: '' });
    const broken = await doctorChecks({ repoRoot: missingRepo(), env: env({ CODEX_BIN: brokenCodex }), cwd: root });
    expect(broken[0]?.level).toBe('fail');
    expect(broken[0]?.detail).toBe(`${brokenCodex} --version failed (exit 3)`);
  });

  it('fails codex for a CODEX_BIN that is a directory or not executable', async () => {
    const plain = path.join(root, 'codex-plain');
    writeFileSync(plain, '#!/bin/sh\n');
    for (const bin of [root, plain]) {
      const checks = await doctorChecks({ repoRoot: missingRepo(), env: env({ CODEX_BIN: bin }), cwd: root });
      expect(checks[0], bin).toMatchObject({ level: 'fail', detail: `not found (${bin})` });
    }
  });

  it('accepts OPENAI_API_KEY or an auth.json as credentials, never printing the key', async () => {
    const byOpenai = await doctorChecks({ repoRoot: missingRepo(), env: env({ OPENAI_API_KEY: 'sk-fake-secret-value' }), cwd: root });
    expect(byOpenai[1]?.level).toBe('ok');
    expect(JSON.stringify(byOpenai)).not.toContain('sk-fake-secret-value');
    writeFileSync(path.join(codexHome, 'auth.json'), '{}');
    try {
      const byFile = await doctorChecks({ repoRoot: missingRepo(), env: env({}), cwd: root });
      expect(byFile[1]).toMatchObject({ level: 'ok', detail: `${path.join(codexHome, 'auth.json')} exists (linked into each run, never copied)` });
    } finally {
      rmSync(path.join(codexHome, 'auth.json'));
    }
  });

  it('runDoctor prints one line per check and exits 1 when one failed', async () => {
    const lines: string[] = [];
    const code = await runDoctor({ repoRoot: missingRepo(), env: env({}), cwd: root }, { out: (t) => lines.push(t), err: () => undefined });
    expect(code).toBe(1);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^FAIL [a-z ]+: .* -> fix: .*\n$/);
  });
});
