/**
 * Terminating a whole process group: SIGTERM, a grace period, then SIGKILL. Every child this
 * project starts is a group leader (spawned detached), so signalling `-pid` reaches everything it
 * started that did not leave the group on purpose.
 */

/** Sends `signal` to the process group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of group `pgid` exists (signal 0 probes without delivering). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM to the group, then SIGKILL once `graceMs` has passed or `exited` resolved without the
 * group being gone. Resolves when the group is gone (or after the SIGKILL if it cannot be probed).
 *
 * @param pgid the group leader's pid.
 * @param graceMs time between SIGTERM and SIGKILL.
 * @param exited resolves when the leader has exited (its exit does not end the group by itself).
 */
export async function terminateGroup(pgid: number, graceMs: number, exited: Promise<unknown>): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  await Promise.race([exited, delay(graceMs)]);
  while (groupAlive(pgid) && Date.now() < deadline) await delay(25);
  if (groupAlive(pgid)) {
    signalGroup(pgid, 'SIGKILL');
    await Promise.race([exited, delay(1000)]);
  }
}
