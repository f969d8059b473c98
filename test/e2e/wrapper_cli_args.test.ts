/**
 * bin/codex-wrapper's command line: --help and --version print and exit 0 without reading stdin,
 * probing for codex or starting anything; any other argument is a one-line usage error, exit 2.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, WRAPPER } from '../support/wrapper_harness.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let dir: string;
let marker: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wrapper-args-'));
  marker = path.join(dir, 'codex-was-run');
  const fakeCodex = path.join(dir, 'codex');
  writeFileSync(fakeCodex, `#!/bin/sh\ntouch '${marker}'\nexit 0\n`);
  chmodSync(fakeCodex, 0o755);
  env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: dir, CODEX_BIN: fakeCodex, TARGET_PROJECT_DIR: dir };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the wrapper with `args` and stdin left open: a run that read stdin would never end. */
function runArgs(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRAPPER, args, { env: { ...env, ...extraEnv }, cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A generous deadline, not a speed limit: only a wrapper waiting on stdin gets here.
    const timer = setTimeout(() => ((killed = true), child.kill('SIGKILL')), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin!.destroy();
      resolve({ code, stdout, stderr, killed });
    });
  });
}

describe('codex-wrapper arguments', () => {
  it.each([['--version'], ['-V']])('%s prints "codex-wrapper <version>" and exits 0 with stdin still open', async (flag) => {
    const run = await runArgs([flag]);
    expect(run).toMatchObject({ killed: false, code: 0, stderr: '' });
    expect(run.stdout).toBe(`codex-wrapper ${VERSION}\n`);
  });

  it.each([['--help'], ['-h'], ['--help', '--version']])('%s prints the usage and exits 0 with stdin still open', async (...flags) => {
    const run = await runArgs(flags);
    expect(run).toMatchObject({ killed: false, code: 0, stderr: '' });
    expect(run.stdout).toContain('usage: codex-wrapper < payload.json');
    expect(run.stdout).toContain('TARGET_PROJECT_DIR');
  });

  it('--help and --version do not look for codex (CODEX_BIN missing, no codex on PATH)', async () => {
    for (const flag of ['--help', '--version']) {
      const run = await runArgs([flag], { CODEX_BIN: path.join(dir, 'missing'), PATH: '/nonexistent' + path.delimiter + path.dirname(process.execPath) });
      expect(run).toMatchObject({ killed: false, code: 0, stderr: '' });
    }
  });

  it.each([
    [['--foo'], /^codex-wrapper: Unknown option '--foo'; usage: codex-wrapper < payload\.json/],
    [['payload.json'], /^codex-wrapper: Unexpected argument 'payload\.json'.*; usage: codex-wrapper < payload\.json/],
    [['--version=2'], /^codex-wrapper: Option '-V, --version' does not take an argument; usage:/],
    [['--', 'x'], /^codex-wrapper: Unexpected argument 'x'.*; usage:/],
  ])('%j → exit 2, one line with the usage, stdin unread', async (args, line) => {
    const run = await runArgs(args);
    expect(run).toMatchObject({ killed: false, code: 2, stdout: '' });
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.slice(0, -1).split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(line);
  });

  it('started codex for none of the above', () => {
    expect(existsSync(marker)).toBe(false);
  });
});
