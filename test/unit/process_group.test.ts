import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { descendantGroups, groupAlive, terminateGroup } from '../../src/infrastructure/process/process_group.js';
import { processesWithEnv, waitFor } from '../support/process_probe.js';

describe('terminateGroup', () => {
  it('kills the group and descendants that started their own session (as codex does for commands)', async () => {
    const mark = `pg-${process.pid}-${Date.now()}`;
    // The leader ignores SIGTERM so that the SIGKILL escalation is exercised too.
    const child = spawn('bash', ['-c', "trap '' TERM; setsid sleep 30 & sleep 30 & wait"], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, PG_TEST_MARK: mark },
    });
    const exited = once(child, 'exit');
    expect(await waitFor(() => processesWithEnv('PG_TEST_MARK', mark).length === 3, 5000)).toBe(true);
    const pgid = child.pid as number;
    expect(descendantGroups(pgid)).toHaveLength(1); // the setsid'd sleep
    const started = Date.now();
    await terminateGroup(pgid, 500, exited);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await waitFor(() => processesWithEnv('PG_TEST_MARK', mark).length === 0, 2000)).toBe(true);
    expect(groupAlive(pgid)).toBe(false);
  });

  it('returns at once for a group that is already gone', async () => {
    const child = spawn('true', [], { detached: true, stdio: 'ignore' });
    const exited = once(child, 'exit');
    await exited;
    const started = Date.now();
    await terminateGroup(child.pid as number, 5000, exited);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
