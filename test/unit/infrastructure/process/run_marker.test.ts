/** run_marker.ts: finding and signalling real processes by CODEX_CHILD_RUN_ID in their environment. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { markedPids, newRunId, RUN_MARKER, signalMarked } from '../../../../src/infrastructure/process/run_marker.js';
import { waitFor } from '../../../support/process_probe.js';

describe('run_marker', () => {
  it('newRunId is fresh every time, names this process, and uses only characters the executor accepts', () => {
    const ids = Array.from({ length: 10_000 }, () => newRunId());
    expect(new Set(ids).size).toBe(ids.length);
    // the executor's own check (scripts/codex_executor.sh): anything else is replaced by a random id
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(ids[0]?.split('-')[0]).toBe(process.pid.toString(36));
  });

  it('finds exactly the marked processes, not one whose value only starts the same, and kills them', async () => {
    const runId = newRunId();
    const marked = spawn('sh', ['-c', 'exec sleep 300'], { stdio: 'ignore', env: { ...process.env, [RUN_MARKER]: runId } });
    const prefix = spawn('sh', ['-c', 'exec sleep 300'], { stdio: 'ignore', env: { ...process.env, [RUN_MARKER]: `${runId}x` } });
    const gone = (child: ReturnType<typeof spawn>) => new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const markedGone = gone(marked);
    try {
      expect(await waitFor(() => markedPids(runId).includes(marked.pid as number), 30_000)).toBe(true);
      expect(markedPids(runId)).toEqual([marked.pid]);
      expect(signalMarked(runId, 'SIGKILL')).toBe(1);
      expect(await markedGone).toBe('SIGKILL');
      expect(prefix.exitCode).toBeNull();
      expect(signalMarked(newRunId(), 'SIGKILL')).toBe(0);
    } finally {
      marked.kill('SIGKILL');
      prefix.kill('SIGKILL');
    }
  });
});
