/**
 * Finds live processes by a marker variable in their environment (/proc/<pid>/environ), so a test
 * can prove that nothing of a run survived it: codex, its shell, `sleep` grandchildren, awk views.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids (other than the test process) whose environment contains `NAME=value`. */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (/\) Z /.test(stat)) continue; // zombies hold no resources and are reaped by their parent
      if (environ.startsWith(needle) || environ.includes(`\0${needle}`)) pids.push(pid);
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** The command line of a pid, for failure messages. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ').trim();
  } catch {
    return '(gone)';
  }
}

/** Polls until `check()` is true or `timeoutMs` passed; returns the last value of `check()`. */
export async function waitFor(check: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
