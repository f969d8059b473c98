import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { descendantGroups, groupAlive, terminateGroup } from '../../src/infrastructure/process/process_group.js';
import { processesWithEnv, waitFor } from '../support/process_probe.js';

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

  it('returns at once for a group that is already gone', async () => {
    const child = spawn('true', [], { detached: true, stdio: 'ignore' });
    const exited = once(child, 'exit');
    await exited;
    // A grace longer than the test's deadline: waiting it out would time the test out.
    await terminateGroup(child.pid as number, 600_000, exited);
    expect(groupAlive(child.pid as number)).toBe(false);
  });
});
