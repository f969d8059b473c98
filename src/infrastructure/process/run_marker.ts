/**
 * The per-run environment marker of the tracking fallback: codex (and so every command it starts)
 * gets `CODEX_CHILD_RUN_ID=<run id>`; teardown finds the run's processes by it in /proc/<pid>/environ,
 * wherever they moved (new session, double fork, reparented to init). A process that removes the
 * variable from its environment before it execs is not found: the documented limit of tracking.
 * The executor mirrors {@link markedPids} in its `stop_tree` (scripts/codex_executor.sh).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Name of the marker variable in codex's environment. */
export const RUN_MARKER = 'CODEX_CHILD_RUN_ID';

/**
 * A fresh run id (only characters the executor accepts). It must be unique among the runs of this
 * machine, not secret: every process of the run can read it from its own environment. Pid, clock
 * and 64 random bits give that without loading node:crypto on every start (B9).
 */
export function newRunId(): string {
  const random = () => Math.floor(Math.random() * 2 ** 32).toString(36);
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${random()}${random()}`;
}

/**
 * Pids of live processes (not this one) whose environment holds `CODEX_CHILD_RUN_ID=<runId>`;
 * [] where /proc cannot be read (not Linux).
 */
export function markedPids(runId: string): number[] {
  const needle = `${RUN_MARKER}=${runId}\0`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (environ.startsWith(needle) || environ.includes(`\0${needle}`)) pids.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Sends `signal` to every marked process; returns how many were signalled. */
export function signalMarked(runId: string, signal: NodeJS.Signals): number {
  let count = 0;
  for (const pid of markedPids(runId)) {
    try {
      process.kill(pid, signal);
      count += 1;
    } catch {
      // ended meanwhile
    }
  }
  return count;
}
