/**
 * run_teardown: the containment and run id of a run, the executor's settings for them, and the
 * teardown of real `sh -c` process trees (group, escaped sessions carrying the run marker).
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_MARKER } from '../../../../src/infrastructure/process/run_marker.js';
import { executorTeardownEnv, prepareTeardown, sweepRun, terminateRun, type RunTeardown } from '../../../../src/infrastructure/process/run_teardown.js';
import { processesWithEnv, waitFor } from '../../../support/process_probe.js';

// Safety net: whatever a failing test left behind is killed by its marker.
const runIds: string[] = [];
afterAll(() => {
  for (const runId of runIds) for (const pid of processesWithEnv(RUN_MARKER, runId)) process.kill(pid, 'SIGKILL');
});

/** A detached `sh -c` group leader with the run's marker; resolves once `ready` pids are up. */
function startTree(teardown: RunTeardown, script: string) {
  runIds.push(teardown.runId);
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, [RUN_MARKER]: teardown.runId } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const ready = (count: number) => waitFor(() => out.split('\n').filter((l) => l === 'up').length >= count, 30_000);
  return { child, exited, ready };
}

const marked = (teardown: RunTeardown) => processesWithEnv(RUN_MARKER, teardown.runId);

describe('prepareTeardown / executorTeardownEnv', () => {
  it('forces tracking with CODEX_CHILD_CONTAINMENT=tracking and gives each run its own id', async () => {
    const a = await prepareTeardown({ CODEX_CHILD_CONTAINMENT: 'tracking' });
    const b = await prepareTeardown({ CODEX_CHILD_CONTAINMENT: 'tracking' });
    expect(a.containment).toBe('tracking');
    expect(a.runId).toMatch(/^[A-Za-z0-9_.-]+$/); // what the executor accepts as CODEX_EXECUTOR_RUN_ID
    expect(a.runId).not.toBe(b.runId);
    expect(executorTeardownEnv(a)).toEqual({ CODEX_EXECUTOR_CONTAIN: 'tracking', CODEX_EXECUTOR_RUN_ID: a.runId });
  });

  it('picks a namespace or tracking automatically', async () => {
    expect(['pidns', 'userns', 'tracking']).toContain((await prepareTeardown({})).containment);
  });
});

describe('terminateRun (tracking)', () => {
  it('ends the group and a marked process that escaped into its own session and was reparented', async () => {
    const teardown = await prepareTeardown({ CODEX_CHILD_CONTAINMENT: 'tracking' });
    // The subshell exits at once: the setsid'd sleep is no descendant of the leader any more,
    // so only the run marker finds it.
    const tree = startTree(teardown, '(setsid sh -c "echo up; exec sleep 300" &); echo up; sleep 300 & wait');
    expect(await tree.ready(2)).toBe(true);
    expect(marked(teardown).length).toBeGreaterThanOrEqual(3);
    await terminateRun(tree.child.pid as number, 5_000, tree.exited, teardown);
    expect(await waitFor(() => marked(teardown).length === 0, 30_000)).toBe(true);
  });

  it('SIGKILLs what ignores SIGTERM once the grace is over', async () => {
    const teardown = await prepareTeardown({ CODEX_CHILD_CONTAINMENT: 'tracking' });
    const tree = startTree(teardown, "trap '' TERM; (setsid sh -c \"trap '' TERM; echo up; while :; do sleep 1; done\" &); echo up; while :; do sleep 1; done");
    expect(await tree.ready(2)).toBe(true);
    await terminateRun(tree.child.pid as number, 200, tree.exited, teardown);
    expect(await waitFor(() => marked(teardown).length === 0, 30_000)).toBe(true);
  });
});

describe('sweepRun', () => {
  it('SIGKILLs marked processes left after the executor ended and counts them (tracking)', async () => {
    const teardown = await prepareTeardown({ CODEX_CHILD_CONTAINMENT: 'tracking' });
    const tree = startTree(teardown, 'setsid sh -c "echo up; exec sleep 300" & setsid sh -c "echo up; exec sleep 301" & sleep 0');
    expect(await tree.ready(2)).toBe(true);
    await tree.exited; // the leader is gone; only the two escaped sleeps are left
    expect(marked(teardown)).toHaveLength(2);
    expect(sweepRun(teardown)).toBeGreaterThanOrEqual(2);
    expect(await waitFor(() => marked(teardown).length === 0, 30_000)).toBe(true);
    expect(sweepRun(teardown)).toBe(0);
  });

  it('does nothing under a namespace containment (the kernel ends the run there)', async () => {
    const tracking = await prepareTeardown({ CODEX_CHILD_CONTAINMENT: 'tracking' });
    const teardown: RunTeardown = { containment: 'pidns', runId: tracking.runId };
    const tree = startTree(teardown, 'setsid sh -c "echo up; exec sleep 300" & sleep 0');
    expect(await tree.ready(1)).toBe(true);
    await tree.exited;
    try {
      expect(sweepRun(teardown)).toBe(0);
      expect(marked(teardown)).toHaveLength(1);
    } finally {
      sweepRun(tracking);
    }
    expect(await waitFor(() => marked(teardown).length === 0, 30_000)).toBe(true);
  });
});
