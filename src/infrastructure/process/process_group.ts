/**
 * Terminating a whole process group: SIGTERM, a grace period, then SIGKILL. Every child this
 * project starts is a group leader (spawned detached), so signalling `-pid` reaches everything it
 * started that did not leave the group on purpose.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { readdirSync, readFileSync } from 'node:fs';

/** Sends `signal` to the process group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while any live (non-zombie) process of group `pgid` exists. A zombie whose parent is gone
 * waits for init to reap it and can keep `kill(-pgid, 0)` succeeding for seconds, so on Linux the
 * group is read from /proc; elsewhere signal 0 probes it.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return process.platform === 'linux' ? liveMembersOnLinux(pgid) : true;
}

/** One row of /proc/<pid>/stat: what the group and tree walks need. */
interface ProcessRow {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
}

/** Every process of the system from /proc (Linux only; [] when /proc cannot be read). */
function readProcessTable(): ProcessRow[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const rows: ProcessRow[] = [];
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // Fields after the command name: state, ppid, pgrp, …
      const [state = '', ppid, pgrp] = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      rows.push({ pid: Number(entry), state, ppid: Number(ppid), pgrp: Number(pgrp) });
    } catch {
      // the process ended while we looked
    }
  }
  return rows;
}

function liveMembersOnLinux(pgid: number): boolean {
  return readProcessTable().some((row) => row.pgrp === pgid && row.state !== 'Z' && row.state !== 'X');
}

// Unref'd: a grace timer that lost its race must not keep the process alive after the work is done.

/**
 * Waits for `promise` or `ms`, whichever comes first, and clears the timer either way: a grace
 * timer left running would keep the process alive for the whole grace after the group ended.
 */
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The process groups of every descendant of `root` (Linux: from /proc; elsewhere none). codex
 * starts each tool command in a new session, so a command is not in codex's group: it must be
 * found through the parent links to be sure it is killed.
 */
export function descendantGroups(root: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, ProcessRow[]>();
  for (const row of readProcessTable()) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const found = new Set<number>();
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const row = queue.pop() as ProcessRow;
    if (row.pgrp !== root) found.add(row.pgrp);
    queue.push(...(children.get(row.pid) ?? []));
  }
  return [...found];
}

/**
 * SIGTERM to the group (and to the groups of its descendants that left it, and to the `tracked`
 * processes), then SIGKILL once `graceMs` has passed without everything being gone. Resolves when
 * they are gone (or after the SIGKILL if they cannot be probed).
 *
 * @param pgid the group leader's pid.
 * @param graceMs time between SIGTERM and SIGKILL.
 * @param exited resolves when the leader has exited (its exit does not end the group by itself).
 * @param tracked pids found by other means (the run marker of the tracking fallback), re-read at
 *   each step because such processes may appear late.
 */
export async function terminateGroup(
  pgid: number,
  graceMs: number,
  exited: Promise<unknown>,
  tracked: () => number[] = () => [],
): Promise<void> {
  const groups = [pgid, ...descendantGroups(pgid)];
  const alive = () => groups.some((group) => groupAlive(group)) || tracked().length > 0;
  const signalled = groups.map((group) => signalGroup(group, 'SIGTERM'));
  for (const pid of tracked()) signalled.push(signalPid(pid, 'SIGTERM'));
  if (!signalled.some(Boolean)) return;
  const deadline = Date.now() + graceMs;
  await waitAtMost(exited, graceMs);
  // a ref'd timer: it holds the event loop, so a CLI never exits in the middle of a teardown
  while (alive() && Date.now() < deadline) await delay(25);
  // Groups that appeared during the grace (a command started late) are caught too.
  for (const group of descendantGroups(pgid)) if (!groups.includes(group)) groups.push(group);
  if (alive()) {
    for (const group of groups) signalGroup(group, 'SIGKILL');
    for (const pid of tracked()) signalPid(pid, 'SIGKILL');
    await waitAtMost(exited, 1000);
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
