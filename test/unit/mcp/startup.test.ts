/**
 * prepareServer / logLine in a real child process (prepareServer exits the process on a problem):
 * a bad configuration or template is one `[codex-child-mcp] cannot start: …` line on stderr and
 * exit 2, never a stack trace or a hang; a good one gives the checked config and template.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { src, startScript } from '../../support/tsx_script.js';

const SCRIPT = `
import { prepareServer, logLine } from ${src('mcp/startup.js')};
logLine('starting');
const prepared = await prepareServer();
console.log(JSON.stringify({ repoRoot: prepared.config.repoRoot, sandbox: prepared.config.sandbox, template: prepared.template.path, text: prepared.template.text }));
`;

let root: string;
let repo: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'startup-')));
  repo = path.join(root, 'repo');
  mkdirSync(repo);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs prepareServer with a clean environment plus `env`, in the repo; kills it after 30 s (a hang shows as SIGKILL). */
async function prepare(env: Record<string, string>) {
  const run = startScript(SCRIPT, { cwd: repo, env: { PATH: process.env.PATH ?? '', HOME: root, ...env } });
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 30_000);
  const end = await run.done;
  clearTimeout(timer);
  return end;
}

function expectCannotStart(end: { code: number | null; stderr: string; signal: NodeJS.Signals | null }, pattern: RegExp) {
  expect(end.signal, end.stderr).toBeNull();
  expect(end.code, end.stderr).toBe(2);
  const lines = end.stderr.trimEnd().split('\n');
  expect(lines).toEqual(['[codex-child-mcp] starting', expect.stringMatching(pattern)]);
  expect(lines[1]).toMatch(/^\[codex-child-mcp\] cannot start: /);
}

describe('prepareServer', () => {
  it('loads the configuration and the shipped template, logging on stderr only', async () => {
    const end = await prepare({ ART_LOOP_REPO_ROOT: repo, CODEX_CHILD_SANDBOX: 'read-only' });
    expect(end.code, end.stderr).toBe(0);
    expect(end.stderr).toBe('[codex-child-mcp] starting\n');
    const out = JSON.parse(end.stdout) as { repoRoot: string; sandbox: string; template: string; text: string };
    expect(out.repoRoot).toBe(repo);
    expect(out.sandbox).toBe('read-only');
    expect(out.template).toMatch(/templates\/art_loop_artist_prompt\.md$/);
    expect(out.text).toContain('{{variant_dir}}');
  });

  it('exits 2 with one line for a bad configuration value', async () => {
    expectCannotStart(await prepare({ ART_LOOP_MAX_CONCURRENCY: 'lots' }), /ART_LOOP_MAX_CONCURRENCY must be a positive integer, got "lots"$/);
    expectCannotStart(await prepare({ ART_LOOP_REPO_ROOT: path.join(root, 'nowhere') }), /repository root not found: /);
  });

  it('exits 2 with one line for a missing template, a directory and an unknown placeholder', async () => {
    expectCannotStart(await prepare({ ART_LOOP_PROMPT_TEMPLATE: path.join(root, 'missing.md') }), /cannot read prompt template .*missing\.md: ENOENT/);
    mkdirSync(path.join(root, 'dir.md'));
    expectCannotStart(await prepare({ ART_LOOP_PROMPT_TEMPLATE: path.join(root, 'dir.md') }), /prompt template .*dir\.md/);
    writeFileSync(path.join(root, 'bad.md'), 'Hello {{nope}}\n');
    expectCannotStart(await prepare({ ART_LOOP_PROMPT_TEMPLATE: path.join(root, 'bad.md') }), /uses unknown placeholder\(s\) \{\{nope\}\}/);
  });

  it('exits 2 at once, without blocking, for a template that is a FIFO or a device', async () => {
    const fifo = path.join(root, 'fifo.md');
    execFileSync('mkfifo', [fifo]);
    expectCannotStart(await prepare({ ART_LOOP_PROMPT_TEMPLATE: fifo }), /prompt template .*fifo\.md is not a regular file/);
    expectCannotStart(await prepare({ ART_LOOP_PROMPT_TEMPLATE: '/dev/zero' }), /prompt template \/dev\/zero is not a regular file/);
  });
});
