/**
 * The one owner of a run's process-tree teardown: picks the containment (containment.ts), tells
 * the executor about it, ends the tree on timeout or cancel, and sweeps after the executor ended.
 * The executor's trap and watchdog mirror {@link terminateRun} in a few lines of shell
 * (`stop_tree` in scripts/codex_executor.sh) for the cases where this process is gone.
 */
import { chooseContainment, type Containment } from './containment.js';
import { terminateGroup } from './process_group.js';
import { markedPids, newRunId, signalMarked } from './run_marker.js';

/** How one run is contained and found again. */
export interface RunTeardown {
  containment: Containment;
  /** The value of CODEX_CHILD_RUN_ID in codex's environment. */
  runId: string;
}

/** Chooses the containment for a run with this environment and gives the run its id. */
export async function prepareTeardown(env: Readonly<Record<string, string | undefined>>): Promise<RunTeardown> {
  return { containment: await chooseContainment(env), runId: newRunId() };
}

/** The executor's settings for this teardown (see the script's header). */
export function executorTeardownEnv(teardown: RunTeardown): Record<string, string> {
  return { CODEX_EXECUTOR_CONTAIN: teardown.containment, CODEX_EXECUTOR_RUN_ID: teardown.runId };
}

/** Marked processes of the run, for the tracking fallback only (a namespace needs no search). */
function tracked(teardown: RunTeardown): () => number[] {
  return teardown.containment === 'tracking' ? () => markedPids(teardown.runId) : () => [];
}

/**
 * Ends the run: SIGTERM to the executor's group, the groups below it and (tracking) the marked
 * processes; SIGKILL to whatever is left after `graceMs`.
 */
export function terminateRun(executorPid: number, graceMs: number, exited: Promise<unknown>, teardown: RunTeardown): Promise<void> {
  return terminateGroup(executorPid, graceMs, exited, tracked(teardown));
}

/**
 * After the executor ended (any outcome): SIGKILL to marked processes still alive (tracking; the
 * executor normally got them already). Returns how many there were.
 */
export function sweepRun(teardown: RunTeardown): number {
  if (teardown.containment !== 'tracking') return 0;
  // Rescan while a scan hits something: a process may fork while the previous scan runs.
  let total = 0;
  for (let round = 0; round < 3; round++) {
    const hit = signalMarked(teardown.runId, 'SIGKILL');
    total += hit;
    if (hit === 0) break;
  }
  return total;
}
