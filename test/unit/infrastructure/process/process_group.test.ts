import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chooseContainment, detectNamespaceSupport } from '../../../../src/infrastructure/process/containment.js';
import { descendantGroups, groupAlive, terminateGroup } from '../../../../src/infrastructure/process/process_group.js';
import { markedPids, newRunId, RUN_MARKER, signalMarked } from '../../../../src/infrastructure/process/run_marker.js';
import { processesWithEnv, waitFor } from '../../../support/process_probe.js';
import { REPO_ROOT } from '../../../support/wrapper_harness.js';

describe('terminateGroup', () => {
  it('kills the group and descendants that started their own session (as codex does for commands)', async () => {
    const mark = `pg-${process.pid}-${Date.now()}`;
    // The leader ignores SIGTERM so that the SIGKILL escalation is exercised too; the sleeps outlast
    // the test's deadline, so only a kill ends them in time.
    const child = spawn('bash', ['-c', "trap '' TERM; setsid sleep 300 & sleep 300 & wait"], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, PG_TEST_MARK: mark },
    });
    const exited = once(child, 'exit');
    expect(await waitFor(() => processesWithEnv('PG_TEST_MARK', mark).length === 3, 30_000)).toBe(true);
    const pgid = child.pid as number;
    expect(descendantGroups(pgid)).toHaveLength(1); // the setsid'd sleep
    await terminateGroup(pgid, 500, exited);
    expect(await waitFor(() => processesWithEnv('PG_TEST_MARK', mark).length === 0, 30_000)).toBe(true);
    expect(groupAlive(pgid)).toBe(false);
  });

  it('holds the event loop while it waits: a process with nothing else to do finishes the teardown', async () => {
    // A node process whose only work is the teardown: the leader dies of the SIGTERM at once, a
    // member that ignores it stays. With timers that do not hold the loop, node would exit in
    // the middle (before the SIGKILL and before "after"), as the wrapper once did before its
    // temp-dir removal.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-loop-'));
    try {
      const ready = path.join(dir, 'ready');
      const module = pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'infrastructure', 'process', 'process_group.js')).href;
      const script = [
        "import { spawn } from 'node:child_process';",
        "import { existsSync } from 'node:fs';",
        `import { groupAlive, terminateGroup } from ${JSON.stringify(module)};`,
        `const leader = spawn('sh', ['-c', ${JSON.stringify(`(trap '' TERM; : > '${ready}'; exec sleep 300) & wait`)}], { detached: true, stdio: 'ignore' });`,
        'const exited = new Promise((resolve) => leader.once("exit", resolve));',
        `while (!existsSync(${JSON.stringify(ready)})) await new Promise((resolve) => setTimeout(resolve, 20));`,
        'await terminateGroup(leader.pid, 300, exited);',
        'process.stdout.write(`after ${groupAlive(leader.pid)}\\n`);',
      ].join('\n');
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('after false\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns at once for a group that is already gone', async () => {
    const child = spawn('true', [], { detached: true, stdio: 'ignore' });
    const exited = once(child, 'exit');
    await exited;
    // a grace longer than the test's own timeout: waiting for it at all would fail the test
    await terminateGroup(child.pid as number, 600_000, exited);
    expect(groupAlive(child.pid as number)).toBe(false);
  });

  it('also ends tracked processes outside the tree (the run marker of the fallback)', async () => {
    const mark = `pg-tracked-${process.pid}-${Date.now()}`;
    const leader = spawn('sleep', ['30'], { detached: true, stdio: 'ignore', env: { ...process.env, PG_TEST_MARK: mark } });
    const stray = spawn('sleep', ['31'], { detached: true, stdio: 'ignore', env: { ...process.env, PG_TEST_MARK: mark } });
    const exited = once(leader, 'exit');
    expect(await waitFor(() => processesWithEnv('PG_TEST_MARK', mark).length === 2, 5000)).toBe(true);
    await terminateGroup(leader.pid as number, 500, exited, () => (stray.exitCode === null && stray.signalCode === null ? [stray.pid as number] : []));
    expect(await waitFor(() => processesWithEnv('PG_TEST_MARK', mark).length === 0, 5000)).toBe(true);
  });
});

describe('run marker', () => {
  it('markedPids finds a process by CODEX_CHILD_RUN_ID wherever it is; signalMarked ends it', async () => {
    const runId = newRunId();
    const child = spawn('setsid', ['sleep', '30'], { stdio: 'ignore', env: { ...process.env, [RUN_MARKER]: runId } });
    expect(await waitFor(() => markedPids(runId).length === 1, 5000)).toBe(true);
    expect(markedPids(newRunId())).toEqual([]);
    expect(signalMarked(runId, 'SIGKILL')).toBe(1);
    expect(await waitFor(() => markedPids(runId).length === 0, 5000)).toBe(true);
    child.unref();
  });
});

describe('containment', () => {
  it('CODEX_CHILD_CONTAINMENT=tracking forces the fallback; otherwise the probe decides', async () => {
    expect(await chooseContainment({ CODEX_CHILD_CONTAINMENT: 'tracking' })).toBe('tracking');
    const probed = await detectNamespaceSupport();
    expect(await chooseContainment({})).toBe(probed);
    // the probe's answer is what the kernel allows: check it against unshare itself
    const plain = spawnSync('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'true']).status === 0;
    const user = spawnSync('unshare', ['--user', '--map-root-user', '--pid', '--fork', '--kill-child', '--mount-proc', 'true']).status === 0;
    expect(probed).toBe(plain ? 'pidns' : user ? 'userns' : 'tracking');
  });
});
