/**
 * The wrapper's shipped bundle (issue 12, start-up): one CommonJS file that holds no run-time
 * package (the run path needs none of execa, fast-glob or zod, and evaluating them was most of a
 * start), loaded by a CommonJS bin. These tests pin that shape and show that the bundle runs
 * wherever the bin is started from: through a symlink in another directory (how npm links a global
 * bin) and from a copy of the package's `files` with no node_modules (the bundle is
 * self-contained). Runs use the REAL codex binary and the fake model.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RESULT_TEXT } from '../../src/devtools/fake_model_server.js';
import { executePayload, REPO_ROOT, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

const ENTRY = path.join(REPO_ROOT, 'dist', 'bin', 'codex_wrapper.cjs');

let world: CodexWorld;
let scratch: string;

beforeAll(async () => {
  world = await startCodexWorld();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'codex-child-chunks-'));
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await world.close();
});

/** Runs `bin` with `input` on stdin; resolves with exit code and output. */
function runBin(bin: string, input: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { env, cwd: scratch, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

describe('the wrapper bundle', () => {
  it('is one CommonJS file that holds no run-time package and imports nothing but node built-ins', () => {
    const text = readFileSync(ENTRY, 'utf8');
    // esbuild marks every bundled source file with a `// …node_modules/<pkg>/…` comment line
    const bundled = [...text.matchAll(/^\/\/ (?:\S*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]);
    expect(bundled).toEqual([]);
    expect(text).toMatch(/^\/\/ dist\/src\/cli\/codex_wrapper_cli\.js$/m); // the sanity of the check above
    const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] as string));
    expect([...required].filter((name) => !name.startsWith('node:'))).toEqual([]);
    expect(text).not.toMatch(/\bimport\(/); // no chunk, no ES module loader
    expect(existsSync(path.join(REPO_ROOT, 'dist', 'bin', 'wrapper_chunks'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(REPO_ROOT, 'bin', 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('runs a normal payload through a symlink to the bin in another directory', async () => {
    const linkDir = path.join(scratch, 'global-bin');
    mkdirSync(linkDir, { recursive: true });
    const link = path.join(linkDir, 'codex-wrapper');
    symlinkSync(path.join(REPO_ROOT, 'bin', 'codex-wrapper'), link);
    const run = await runBin(link, executePayload('demo'), world.env);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(DEMO_RESULT_TEXT);
  });

  it('runs from a copy of the package files without node_modules (the chunks are self-contained)', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { files: string[] };
    const copy = path.join(scratch, 'installed', 'codex-child');
    mkdirSync(copy, { recursive: true });
    cpSync(path.join(REPO_ROOT, 'package.json'), path.join(copy, 'package.json'));
    for (const entry of pkg.files) {
      const from = path.join(REPO_ROOT, entry);
      if (existsSync(from)) cpSync(from, path.join(copy, entry), { recursive: true });
    }
    expect(existsSync(path.join(copy, 'node_modules'))).toBe(false);
    const run = await runBin(path.join(copy, 'bin', 'codex-wrapper'), executePayload('demo'), world.env);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(DEMO_RESULT_TEXT);
    // the bad-input path still answers with its one line
    const bad = await runBin(path.join(copy, 'bin', 'codex-wrapper'), '{', world.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^invalid input payload: /);
  });
});
