/**
 * runExecutor (executor_runner.ts) with the real executor script and a scripted fake codex: the
 * prompt reaches codex on stdin, the last message comes back byte for byte, codex's exit status
 * is data, a missing bash is `spawnFailed`, and a timeout or abort ends the whole tree.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executorPathsIn, runExecutor, type ExecutorRunOptions } from '../../../../../src/infrastructure/adapter/codex/executor_runner.js';
import { processesWithEnv, waitFor } from '../../../../support/process_probe.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'executor-runner-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A fake codex: saves its stdin, writes `message` as the last message, exits with `code`. */
function fakeCodex(body: string): string {
  const file = path.join(dir, 'fake_codex.sh');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      'out=',
      'while [ $# -gt 0 ]; do [ "$1" = --output-last-message ] && out=$2; shift; done',
      `cat > ${JSON.stringify(path.join(dir, 'stdin.txt'))}`,
      body,
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}

function options(codexBin: string, extra: Partial<ExecutorRunOptions> = {}): ExecutorRunOptions {
  const work = path.join(dir, 'work');
  mkdirSync(work, { recursive: true });
  return {
    prompt: 'the prompt\n',
    env: { PATH: process.env.PATH, HOME: dir, TMPDIR: dir, CODEX_BIN: codexBin, TARGET_PROJECT_DIR: dir, CODEX_STREAM_LOGS: '0', CODEX_CHILD_CONTAINMENT: 'tracking' },
    paths: executorPathsIn(work),
    workDir: work,
    display: 'ignore',
    killGraceMs: 500,
    ...extra,
  };
}

describe('runExecutor', () => {
  it('gives codex the prompt on stdin and returns the last message byte for byte', async () => {
    const message = `RESULT: completed\n${'x'.repeat(200_000)}\n\u00e9\n`; // several pipe chunks
    writeFileSync(path.join(dir, 'message.txt'), message);
    const codex = fakeCodex(`cat ${JSON.stringify(path.join(dir, 'message.txt'))} > "$out"; echo '{"type":"turn.started"}'`);
    const run = await runExecutor(options(codex));
    expect(run.spawnFailed).toBe(false);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString('utf8')).toBe(message);
    expect(readFileSync(path.join(dir, 'stdin.txt'), 'utf8')).toBe('the prompt\n');
    expect(readFileSync(executorPathsIn(path.join(dir, 'work')).stdoutLog, 'utf8')).toBe('{"type":"turn.started"}\n');
    expect(run).toMatchObject({ timedOut: false, cancelled: false, containment: 'tracking', leftovers: 0 });
  });

  it("returns codex's exit status as data", async () => {
    const run = await runExecutor(options(fakeCodex('exit 3')));
    expect(run).toMatchObject({ exitCode: 3, spawnFailed: false, timedOut: false });
    expect(run.stdout.length).toBe(0);
  });

  it('reports spawnFailed with the reason when bash cannot be started', async () => {
    const run = await runExecutor(options(fakeCodex('exit 0'), { env: { PATH: path.join(dir, 'no-such-dir'), CODEX_CHILD_CONTAINMENT: 'tracking' } }));
    expect(run.spawnFailed).toBe(true);
    expect(run.spawnError).toMatch(/ENOENT/);
  });

  it.each([
    ['timeoutMs', { timeoutMs: 300 }, { timedOut: true, cancelled: false }],
    ['an AbortSignal', { signal: AbortSignal.timeout(300) }, { timedOut: false, cancelled: true }],
  ] as const)('%s ends codex and everything it started', async (_name, stop, expected) => {
    const mark = `runner-${process.pid}-${Date.now()}`;
    const codex = fakeCodex('sleep 300 & sleep 301; wait');
    const base = options(codex);
    const run = await runExecutor({ ...base, ...stop, env: { ...base.env, RUNNER_TEST_MARK: mark } });
    expect(run).toMatchObject(expected);
    expect(run.exitCode).not.toBe(0);
    expect(await waitFor(() => processesWithEnv('RUNNER_TEST_MARK', mark).length === 0, 30_000)).toBe(true);
  });
});
