/**
 * Fault suite, signals and timeouts: the real codex binary runs a model-requested `sleep 300` while
 * the wrapper, the executor or the library is stopped. The sleep outlasts every test's deadline, so
 * a run that waited for it fails by timing out; no test asserts how fast anything was. Every process of the run must be gone, the
 * exit code must be the documented one, and no temp file may be left.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTeammatePayload } from '../../src/index.js';
import { commandLine, processesWithEnv, waitFor } from '../support/process_probe.js';
import { executePayload, REPO_ROOT, runWrapper, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

let world: CodexWorld;
beforeAll(async () => {
  world = await startCodexWorld();
});
afterAll(() => world.close());

const MARK = 'CODEX_CHILD_FAULT_MARK';

/** A per-test env with its own marker and TMPDIR, plus helpers to check what is left. */
function faultEnv(extra: Record<string, string> = {}) {
  const mark = randomUUID();
  const tmp = path.join(world.home.root, `tmp-${mark}`);
  mkdirSync(tmp);
  const env = { ...world.env, [MARK]: mark, TMPDIR: tmp, CODEX_STREAM_LOGS: '0', ...extra };
  // The model's `sleep 300`, not the executor watchdog's `sleep 0.5` (it carries the mark too): a
  // signal must reach the run while codex's command runs, not while the executor starts.
  const sleepRunning = () => processesWithEnv(MARK, mark).some((pid) => /^sleep 300\b/.test(commandLine(pid)));
  const survivors = () => processesWithEnv(MARK, mark).map((pid) => `${pid}: ${commandLine(pid)}`);
  return { env, tmp, sleepRunning, survivors };
}

/** Runs `fn` with the adapter's temp dir (it follows os.tmpdir()) in the test's own TMPDIR. */
async function inTmp<T>(f: ReturnType<typeof faultEnv>, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = f.tmp;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

async function expectNothingLeft(f: ReturnType<typeof faultEnv>): Promise<void> {
  await waitFor(() => f.survivors().length === 0, 30_000);
  expect(f.survivors()).toEqual([]);
  expect(readdirSync(f.tmp)).toEqual([]);
}

describe('signals to bin/codex-wrapper mid-run', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s → exit %i, the whole tree gone, no temp file left', async (signal, code) => {
    const f = faultEnv();
    let sent = false;
    const run = await runWrapper(executePayload('sleep:300'), f.env, {
      onSpawn: (child) => {
        void waitFor(f.sleepRunning, 30_000).then(() => {
          sent = true;
          child.kill(signal);
        });
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    await expectNothingLeft(f);
  });

  it('SIGTERM as soon as the executor started (codex may not have yet) → exit 143, nothing left', async () => {
    const f = faultEnv();
    const executorRunning = () => processesWithEnv(MARK, f.env[MARK]).some((pid) => commandLine(pid).includes('codex_executor.sh'));
    let sent = false;
    const run = await runWrapper(executePayload('sleep:300'), f.env, {
      onSpawn: (child) => {
        void waitFor(executorRunning, 30_000).then(() => {
          sent = true;
          child.kill('SIGTERM');
        });
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(143);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    await expectNothingLeft(f);
  });

  it('SIGKILL of the wrapper: the executor watchdog still kills codex and its command', async () => {
    const f = faultEnv();
    const run = runWrapper(executePayload('sleep:300'), f.env, {
      onSpawn: (child) => void waitFor(f.sleepRunning, 30_000).then(() => child.kill('SIGKILL')),
    });
    expect((await run).signal).toBe('SIGKILL');
    // the adapter's codex-child-XXXX temp dir included: the watchdog removes it
    await waitFor(() => f.survivors().length === 0 && readdirSync(f.tmp).length === 0, 30_000);
    await expectNothingLeft(f);
  });
});

describe('signals to the executor alone', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s → exit %i, nothing left', async (signal, code) => {
    const f = faultEnv({ TARGET_PROJECT_DIR: world.home.workDir });
    const child = spawn('bash', [path.join(REPO_ROOT, 'scripts/codex_executor.sh')], { env: f.env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end('Run it. [[scenario:sleep:300]]');
    child.stdout.resume();
    child.stderr.resume();
    expect(await waitFor(f.sleepRunning, 30_000)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    child.kill(signal);
    expect(await exited).toBe(code);
    await expectNothingLeft(f);
  });
});

describe('library timeouts and cancellation', () => {
  it('timeoutMs kills the whole tree and reports timed_out', async () => {
    const f = faultEnv();
    // 8 s: enough for codex to start and report its thread on a loaded machine, far below the sleep.
    const outcome = await inTmp(f, () => runTeammatePayload(executePayload('sleep:300'), { env: f.env, display: 'ignore', timeoutMs: 8000, killGraceMs: 1000 }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).toBe('timed_out');
    expect(outcome.error.exitCode).toBe(124);
    expect(outcome.error.message).toMatch(/timed out after 8000 ms/);
    expect(outcome.facts?.threadId).toMatch(/^[0-9a-f-]{36}$/);
    await expectNothingLeft(f);
  });

  it('an AbortSignal kills the whole tree and reports cancelled', async () => {
    const f = faultEnv();
    const controller = new AbortController();
    void waitFor(f.sleepRunning, 30_000).then(() => controller.abort());
    const outcome = await inTmp(f, () => runTeammatePayload(executePayload('sleep:300'), { env: f.env, display: 'ignore', signal: controller.signal, killGraceMs: 1000 }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).toBe('cancelled');
    expect(outcome.error.exitCode).toBe(130);
    await expectNothingLeft(f);
  });
});
