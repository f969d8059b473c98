/**
 * No survivors, in every sandbox mode (issue 9, item 3): the REAL codex binary runs a model command
 * that daemonises twice (`setsid -f`, and a double fork into a new session), then every teardown
 * path is taken: success, failure, timeout, AbortSignal, SIGTERM/SIGINT/SIGHUP and SIGKILL of the
 * wrapper. Each path runs with the kernel mechanism this machine allows (a PID namespace; skipped
 * with a reason where none is allowed) and with the tracking fallback forced
 * (CODEX_CHILD_CONTAINMENT=tracking), under `danger-full-access` (no bubblewrap: codex starts each
 * command in its own session) and `workspace-write`.
 *
 * Survivors are found by a probe variable of the test's own (NOSURV_PROBE), never by the run marker
 * the fallback kills by, so that a broken fallback cannot pass. Each daemon writes a pid file when
 * it starts: a test only counts when the daemons really ran.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurn, FAKE_ERROR_MESSAGES } from '../../src/devtools/fake_model_server.js';
import { runTeammatePayload } from '../../src/index.js';
import { detectNamespaceSupport } from '../../src/infrastructure/process/containment.js';
import { DAEMONS } from '../support/daemons.js';
import { commandLine, processesWithEnv, waitFor } from '../support/process_probe.js';
import { executePayload, runWrapper, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

const PROBE = 'NOSURV_PROBE';
const RESULT = 'RESULT: completed\nSUMMARY: started two daemons\nCHANGED_FILES: none\nCHECKS: none';

// What the kernel allows here decides which suites run (a visible skip otherwise).
const kernel = await detectNamespaceSupport();
let world: CodexWorld;
beforeAll(async () => {
  world = await startCodexWorld({
    scenarios: {
      daemons: scriptedTurn({ commands: [DAEMONS], result: RESULT, exec: { yieldTimeMs: 30_000 } }),
      // daemonise, then stay in the command so that the run can be stopped mid-way
      daemons_hang: scriptedTurn({ commands: [`${DAEMONS}; sleep 120`], result: RESULT, exec: { yieldTimeMs: 150_000 } }),
      daemons_fail: [{ items: [{ type: 'exec', cmd: DAEMONS, yieldTimeMs: 30_000 }] }, { fail: { type: 'response_failed', message: FAKE_ERROR_MESSAGES.responseFailed } }],
    },
  });
});
afterAll(() => world.close());

type Mode = 'kernel' | 'tracking';
const MODES: Mode[] = ['kernel', 'tracking'];
const SANDBOXES = ['danger-full-access', 'workspace-write'] as const;

/** A fresh project dir, TMPDIR and probe value for one run, with the checks that use them. */
function arena(mode: Mode, sandbox: string) {
  const probe = randomUUID();
  const dir = path.join(world.home.root, `ns-${probe}`);
  const project = path.join(dir, 'proj');
  const tmp = path.join(dir, 'tmp');
  mkdirSync(project, { recursive: true });
  mkdirSync(tmp);
  const env: Record<string, string> = {
    ...world.env,
    [PROBE]: probe,
    TMPDIR: tmp,
    TARGET_PROJECT_DIR: project,
    CODEX_SANDBOX: sandbox,
    CODEX_STREAM_LOGS: '0',
    CODEX_WRAPPER_DEBUG: '1',
    CODEX_PROMPT_LOG_PATH: path.join(dir, 'prompt.txt'),
    CODEX_ERROR_LOG_PATH: path.join(dir, 'error.log'),
    ...(mode === 'tracking' ? { CODEX_CHILD_CONTAINMENT: 'tracking' } : {}),
  };
  const daemonsStarted = () => existsSync(path.join(project, 'd1.pid')) && existsSync(path.join(project, 'd2.pid'));
  const survivors = () => processesWithEnv(PROBE, probe).map((pid) => `${pid}: ${commandLine(pid)}`);
  const daemonsRunning = () => daemonsStarted() && survivors().filter((line) => / sleep 30[01]$/.test(line)).length === 2;
  return { env, tmp, daemonsStarted, daemonsRunning, survivors };
}
type Arena = ReturnType<typeof arena>;

/** The run is over: the daemons did start, and nothing of the run is left (processes, temp files). */
async function expectNothingLeft(a: Arena): Promise<void> {
  expect(a.daemonsStarted()).toBe(true);
  await waitFor(() => a.survivors().length === 0, 15_000);
  expect(a.survivors()).toEqual([]);
  // Ours are codex-child-* (the adapter's) and codex-executor.* (the executor's). Under
  // workspace-write codex itself leaves its bubblewrap lock and mount targets in TMPDIR: not ours.
  const ours = () => readdirSync(a.tmp).filter((name) => /^codex-(child-|executor\.)/.test(name));
  await waitFor(() => ours().length === 0, 15_000);
  expect(ours()).toEqual([]);
}

/**
 * A library run with the adapter's own temp dir in the arena's TMPDIR (it follows os.tmpdir(); the
 * files of this suite run one after another in their own worker), so that the temp check counts.
 */
async function library(a: Arena, run: () => ReturnType<typeof runTeammatePayload>): ReturnType<typeof runTeammatePayload> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = a.tmp;
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

const expected = (mode: Mode) => (mode === 'tracking' ? 'tracking' : kernel);

for (const mode of MODES) {
  for (const sandbox of SANDBOXES) {
    describe.skipIf(mode === 'kernel' && kernel === 'tracking')(`${mode} containment, -s ${sandbox}`, () => {
      it('success: daemons started by a command are gone after the run', async () => {
        const a = arena(mode, sandbox);
        const outcome = await library(a, () => runTeammatePayload(executePayload('daemons'), { env: a.env, display: 'ignore' }));
        expect(outcome.ok).toBe(true);
        await expectNothingLeft(a);
      });

      it('SIGTERM of the wrapper mid-run: exit 143, the debug line names the mechanism', async () => {
        const a = arena(mode, sandbox);
        const run = await runWrapper(executePayload('daemons_hang'), a.env, {
          timeoutMs: 120_000,
          onSpawn: (child) => void waitFor(a.daemonsRunning, 60_000).then((ok) => ok && child.kill('SIGTERM')),
        });
        expect(run.code).toBe(143);
        expect(run.stderr).toContain(`[codex_wrapper] containment=${expected(mode)} `);
        await expectNothingLeft(a);
      });

      it('SIGKILL of the wrapper mid-run: the watchdog ends the run and removes the temp dirs', async () => {
        const a = arena(mode, sandbox);
        const run = await runWrapper(executePayload('daemons_hang'), a.env, {
          timeoutMs: 120_000,
          onSpawn: (child) => void waitFor(a.daemonsRunning, 60_000).then((ok) => ok && child.kill('SIGKILL')),
        });
        expect(run.signal).toBe('SIGKILL');
        await expectNothingLeft(a);
      });
    });
  }

  // The remaining paths, under danger-full-access: where codex's own sandbox does not help.
  describe.skipIf(mode === 'kernel' && kernel === 'tracking')(`${mode} containment, -s danger-full-access, every other path`, () => {
    const sandbox = 'danger-full-access';

    it('failure: codex exits 1 after the command; the daemons are gone', async () => {
      const a = arena(mode, sandbox);
      const outcome = await library(a, () => runTeammatePayload(executePayload('daemons_fail'), { env: a.env, display: 'ignore' }));
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.exitCode).toBe(1);
      await expectNothingLeft(a);
    });

    it('timeout: timed_out, and the message says what was done', async () => {
      const a = arena(mode, sandbox);
      // generous: the daemons must be running when it fires (checked below, so never vacuous)
      const outcome = await library(a, () => runTeammatePayload(executePayload('daemons_hang'), { env: a.env, display: 'ignore', timeoutMs: 15_000, killGraceMs: 1000 }));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.reason).toBe('timed_out');
      expect(outcome.error.details).toMatchObject({ containment: expected(mode) });
      expect(outcome.error.message).toMatch(mode === 'tracking' ? /process tracking/ : /PID namespace was ended/);
      await expectNothingLeft(a);
    }, 120_000);

    it('AbortSignal: cancelled, nothing left', async () => {
      const a = arena(mode, sandbox);
      const controller = new AbortController();
      void waitFor(a.daemonsRunning, 60_000).then((ok) => ok && controller.abort());
      const outcome = await library(a, () => runTeammatePayload(executePayload('daemons_hang'), { env: a.env, display: 'ignore', signal: controller.signal, killGraceMs: 1000 }));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.reason).toBe('cancelled');
      expect(outcome.error.details).toMatchObject({ containment: expected(mode) });
      await expectNothingLeft(a);
    }, 120_000);

    it.each([
      ['SIGINT', 130],
      ['SIGHUP', 129],
    ] as const)('%s of the wrapper: exit %i, nothing left', async (signal, code) => {
      const a = arena(mode, sandbox);
      const run = await runWrapper(executePayload('daemons_hang'), a.env, {
        timeoutMs: 120_000,
        onSpawn: (child) => void waitFor(a.daemonsRunning, 60_000).then((ok) => ok && child.kill(signal)),
      });
      expect(run.code).toBe(code);
      await expectNothingLeft(a);
    }, 120_000);
  });
}

describe.each(MODES)('codex sandbox with %s containment', (mode) => {
  it.skipIf(mode === 'kernel' && kernel === 'tracking')('workspace-write still confines writes: the workspace is writable, a dir outside it is not', async () => {
    const a = arena(mode, 'workspace-write');
    // not under /tmp or TMPDIR, which workspace-write also allows
    const outside = mkdtempSync(path.join('/var/tmp', 'codex-child-outside-'));
    try {
      world.server.registerScenario(
        'confined',
        scriptedTurn({ commands: [`echo in > inside.txt; echo out > ${outside}/escaped.txt; true`], result: RESULT }),
      );
      const outcome = await library(a, () => runTeammatePayload(executePayload('confined'), { env: a.env, display: 'ignore' }));
      expect(outcome.ok).toBe(true);
      expect(existsSync(path.join(a.env.TARGET_PROJECT_DIR as string, 'inside.txt'))).toBe(true);
      expect(existsSync(path.join(outside, 'escaped.txt'))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
