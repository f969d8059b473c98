/**
 * `npm run demo` (demo/run_demo.ts): says first that the model is a scripted local fake, writes no
 * ANSI escapes when stderr is not a terminal, and puts the result and the library report on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/wrapper_harness.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'demo-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The source through tsx, so the test never depends on a stale dist/demo.
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
    delete env.NO_COLOR;
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'demo/run_demo.ts')], {
      cwd: tmp,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo', () => {
  it('first says the model is a scripted local fake, stays plain on a pipe, reports on stdout', async () => {
    const demo = await runDemo();
    expect(demo.code, demo.stderr).toBe(0);
    const first = demo.stderr.split('\n')[0];
    expect(first).toMatch(/scripted local fake/);
    expect(first).toMatch(/nothing leaves this machine/);
    expect(demo.stderr + demo.stdout).not.toContain('\x1b');
    expect(demo.stdout).toMatch(/^RESULT: completed\nSUMMARY: .+\nCHANGED_FILES: a\.txt\nCHECKS: npm test\n/);
    const report = JSON.parse(demo.stdout.slice(demo.stdout.indexOf('{'))) as { ok: boolean; threadId: string; result: { valid: boolean } };
    expect(report).toMatchObject({ ok: true, result: { valid: true } });
    expect(report.threadId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
