/**
 * Process timelines from `strace -f -ttt -e trace=execve,exit_group` (with --seccomp-bpf so only
 * those two syscalls stop the tracee) and syscall counts from `strace -c -f`. Used to show where
 * the wall time of a missed target goes. strace slows the traced tree; the timeline is read for
 * its order and relative gaps, the untraced medians are the real figures.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { run, which, type RunOptions } from './proc.js';

/** One event of the timeline. */
export interface TimelineEvent {
  /** ms since the first event. */
  t: number;
  pid: number;
  what: string;
}

/** Whether strace can be used. */
export const HAVE_STRACE = which('strace') !== null;

function shortArgs(args: string): string {
  const parts = [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '');
  const shown = parts.slice(0, 6).map((p) => (p.length > 40 ? `${p.slice(0, 37)}...` : p));
  return shown.join(' ') + (parts.length > 6 ? ' …' : '');
}

/** Runs `cmd` under strace and returns its execve/exit timeline. */
export async function processTimeline(cmd: string, args: readonly string[], options: RunOptions, scratch: string): Promise<TimelineEvent[]> {
  const out = path.join(scratch, `strace-${Date.now()}.txt`);
  await run('strace', ['--seccomp-bpf', '-f', '-ttt', '-s', '80', '-e', 'trace=execve,exit_group', '-o', out, '--', cmd, ...args], options);
  const events: { ts: number; pid: number; what: string }[] = [];
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const m = /^(\d+)\s+(\d+\.\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const ts = Number(m[2]) * 1000;
    const rest = m[3] as string;
    if (rest.startsWith('execve(')) {
      if (/= -1/.test(rest)) continue; // PATH lookups that failed
      const prog = /^execve\("([^"]*)"/.exec(rest)?.[1] ?? '?';
      const argv = /^execve\("[^"]*", \[(.*?)\](?:,| \.\.\.)/.exec(rest)?.[1] ?? '';
      events.push({ ts, pid, what: `execve ${path.basename(prog)}: ${shortArgs(argv)}` });
    } else if (rest.startsWith('exit_group(')) {
      events.push({ ts, pid, what: `exit_group${/^exit_group\((\d+)\)/.exec(rest)?.[1] !== undefined ? `(${/^exit_group\((\d+)\)/.exec(rest)?.[1]})` : ''}` });
    } else if (rest.startsWith('+++ exited')) {
      events.push({ ts, pid, what: rest.replace(/\+\+\+/g, '').trim() });
    } else if (rest.startsWith('+++ killed')) {
      events.push({ ts, pid, what: rest.replace(/\+\+\+/g, '').trim() });
    }
  }
  rmSync(out, { force: true });
  const t0 = events[0]?.ts ?? 0;
  return events.map((e) => ({ t: e.ts - t0, pid: e.pid, what: e.what }));
}

/** `strace -c -f` summary table (top `count` syscalls by time) of one run. */
export async function syscallSummary(cmd: string, args: readonly string[], options: RunOptions, scratch: string, count = 12): Promise<string[]> {
  const out = path.join(scratch, `strace-c-${Date.now()}.txt`);
  await run('strace', ['-c', '-f', '-o', out, '--', cmd, ...args], options);
  const lines = readFileSync(out, 'utf8').split('\n');
  rmSync(out, { force: true });
  const header = lines.findIndex((l) => l.includes('syscall'));
  if (header < 0) return lines.filter((l) => l.trim() !== '');
  const body = lines.slice(header + 2).filter((l) => /^\s*\d/.test(l));
  const total = lines.find((l) => /\btotal\s*$/.test(l));
  return [lines[header] as string, ...body.slice(0, count), ...(total ? [total] : [])];
}

/** A command of a bash script and the time until the script's next traced command. */
export interface XtraceStep {
  command: string;
  ms: number;
}

/**
 * Runs a bash script with xtrace timestamps (`PS4='+ ${EPOCHREALTIME} ${BASHPID} '`, trace on fd 7
 * so that the script's own redirections of stderr do not hide it; PS4 is set inside `bash -c`
 * because bash ignores an inherited PS4 when run as root) and returns, for the script's main
 * shell, the time from each command to the next, averaged over `runs` runs and largest first.
 * Temp paths are normalised so that the same command of different runs adds up.
 */
export async function bashXtrace(script: string, options: RunOptions, scratch: string, runs: number): Promise<{ steps: XtraceStep[]; totalMs: number }> {
  const sums = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < runs; i += 1) {
    const traceFile = path.join(scratch, `xtrace-${i}.txt`);
    const inner = `PS4='+ \${EPOCHREALTIME} \${BASHPID} '; exec 7>${JSON.stringify(traceFile)}; BASH_XTRACEFD=7; set -x; source ${JSON.stringify(script)}`;
    await run('bash', ['-c', inner], options);
    let main: string | undefined;
    let prevT: number | undefined;
    let prevCmd = '';
    let first: number | undefined;
    let last = 0;
    for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
      const m = /^\++ (\d+\.\d+) (\d+) (.*)$/.exec(line);
      if (!m) continue;
      const t = Number(m[1]) * 1000;
      if (main === undefined) main = m[2];
      if (m[2] !== main) continue;
      first ??= t;
      last = t;
      if (prevT !== undefined) sums.set(prevCmd, (sums.get(prevCmd) ?? 0) + (t - prevT));
      prevT = t;
      prevCmd = normaliseCommand(m[3] as string);
    }
    total += last - (first ?? last);
    rmSync(traceFile, { force: true });
  }
  const steps = [...sums.entries()].map(([command, sum]) => ({ command, ms: sum / runs })).sort((a, b) => b.ms - a.ms);
  return { steps, totalMs: total / runs };
}

function normaliseCommand(cmd: string): string {
  return cmd
    .replace(/\/[^\s'"]*\/codex-executor\.[A-Za-z0-9]+/g, '$WORK')
    .replace(/\/[^\s'"]*codex-child-bench-[A-Za-z0-9]+\/[^\s'"]*/g, '<tmp path>')
    .replace(/\b\d{3,}\b/g, 'N')
    .slice(0, 110);
}
