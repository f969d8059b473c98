/**
 * The `.env*` snapshots obey signals, cancellation and the timeout (issue 9, item 5), with the REAL
 * codex binary. A sparse 1 TiB `.env.big` with the size cap raised above it makes a snapshot hash
 * for hours: a signal or timeout must still end the run at once, with the documented code. With the
 * default cap the same file is fingerprinted by its ends and said once on stderr.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurn } from '../../src/devtools/fake_model_server.js';
import { runTeammatePayload } from '../../src/index.js';
import { waitFor } from '../support/process_probe.js';
import { executePayload, runWrapper, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

const TiB = 1024 ** 4;
let world: CodexWorld;
beforeAll(async () => {
  world = await startCodexWorld();
  world.server.registerScenario(
    'make_big_env',
    scriptedTurn({ commands: ['truncate -s 1T .env.big'], result: 'RESULT: completed\nSUMMARY: made .env.big\nCHANGED_FILES: none\nCHECKS: none' }),
  );
});
afterAll(() => world.close());

/** A fresh project and TMPDIR; `hashWhole` raises the cap so .env.big would be read in full. */
function bigEnvCase(hashWhole: boolean) {
  const id = randomUUID();
  const project = path.join(world.home.root, `proj-${id}`);
  const tmp = path.join(world.home.root, `tmp-${id}`);
  mkdirSync(project);
  mkdirSync(tmp);
  const env: Record<string, string> = { ...world.env, TARGET_PROJECT_DIR: project, TMPDIR: tmp, CODEX_STREAM_LOGS: '0' };
  if (hashWhole) env.CODEX_DOTENV_FULL_HASH_MAX_BYTES = String(2 * TiB);
  return { project, tmp, env, big: path.join(project, '.env.big') };
}

/** Pids of live processes that have `file` open. */
function holdersOf(file: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readdirSync(`/proc/${entry}/fd`).some((fd) => safeReadlink(`/proc/${entry}/fd/${fd}`) === file)) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

function safeReadlink(link: string): string | null {
  try {
    return readlinkSync(link);
  } catch {
    return null;
  }
}

function makeSparse(file: string, bytes: number): void {
  writeFileSync(file, 'BIG=1\n');
  truncateSync(file, bytes);
}

describe('a signal during the post-run .env* snapshot (bin/codex-wrapper)', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s → exit %i, the process ends, nothing holds the file, no temp dir left', async (signal, code) => {
    const c = bigEnvCase(true);
    let hashing = false;
    const run = await runWrapper(executePayload('make_big_env'), c.env, {
      timeoutMs: 120_000, // SIGKILL after this: a wrapper that ignores the signal fails the test
      onSpawn: (child) => {
        // The file only exists after codex's command ran, so the one hashing it is the post-run snapshot.
        void waitFor(() => holdersOf(c.big).includes(child.pid as number), 90_000).then((seen) => {
          hashing = seen;
          child.kill(signal);
        });
      },
    });
    expect(hashing).toBe(true);
    expect(run.signal).toBeNull();
    expect(run.code, run.stderr).toBe(code);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`codex_wrapper interrupted by ${signal} during the .env* check after codex ended`);
    expect(holdersOf(c.big)).toEqual([]);
    expect(readdirSync(c.tmp)).toEqual([]);
  });
});

describe('the library: timeout and cancel during a snapshot', () => {
  it('timeoutMs expiring in the pre-run snapshot → timed_out, codex never started', async () => {
    const c = bigEnvCase(true);
    makeSparse(c.big, TiB);
    const requestsBefore = world.server.requests.length;
    const outcome = await runTeammatePayload(executePayload('demo'), { env: c.env, display: 'ignore', timeoutMs: 1500 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).toBe('timed_out');
    expect(outcome.error.exitCode).toBe(124);
    expect(outcome.error.message).toBe('codex run timed out after 1500 ms during the .env* snapshot; codex was not started');
    expect(world.server.requests.length).toBe(requestsBefore);
    expect(holdersOf(c.big)).toEqual([]);
    expect(readdirSync(c.tmp)).toEqual([]);
  }, 60_000);

  it('an AbortSignal during the post-run snapshot → cancelled, saying codex had ended', async () => {
    const c = bigEnvCase(true);
    const controller = new AbortController();
    const watching = waitFor(() => ownFds().includes(c.big), 90_000).then((seen) => {
      controller.abort();
      return seen;
    });
    const outcome = await runTeammatePayload(executePayload('make_big_env'), { env: c.env, display: 'ignore', signal: controller.signal });
    expect(await watching).toBe(true);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).toBe('cancelled');
    expect(outcome.error.message).toBe('codex run cancelled during the .env* check after codex ended');
    expect(outcome.facts?.threadId).toMatch(/^[0-9a-f-]{36}$/); // codex did run
    expect(ownFds()).not.toContain(c.big);
  }, 120_000);
});

describe('the size cap through bin/codex-wrapper', () => {
  it('a sparse 1 TiB .env.big present before the run is fingerprinted, said once on stderr, and the run succeeds', async () => {
    const c = bigEnvCase(false);
    makeSparse(c.big, TiB);
    const run = await runWrapper(executePayload('demo'), c.env, { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('fingerprinted'));
    expect(warnings).toEqual([
      `codex-child: warning: .env* larger than ${64 * 1024 * 1024} bytes fingerprinted by size, mtime, ctime, inode and first/last MiB, not hashed whole: .env.big`,
    ]);
  });

  it('one created by codex is reported as added (exit 4)', async () => {
    const c = bigEnvCase(false);
    const run = await runWrapper(executePayload('make_big_env'), c.env, { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr.trim().split('\n').at(-1)).toBe('deny rule violation: .env/.env.* files were modified by codex (added=.env.big)');
  });
});

function ownFds(): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => safeReadlink(`/proc/self/fd/${fd}`))
    .filter((target): target is string => target !== null);
}
