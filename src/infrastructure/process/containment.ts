/**
 * How a run's processes are contained, so that none outlives the run. Chosen once per process:
 *
 * - `pidns`: codex runs inside its own PID namespace (`unshare --pid --fork --kill-child
 *   --mount-proc`, needs root or CAP_SYS_ADMIN). When the namespace's init ends, the kernel kills
 *   every process in it, whatever session or environment it has: nothing can escape.
 * - `userns`: the same inside a new user namespace (`--user --map-root-user`), for non-root users
 *   where unprivileged user namespaces are allowed.
 * - `tracking`: the fallback (no unshare, namespaces refused, macOS, or forced with
 *   `CODEX_CHILD_CONTAINMENT=tracking`): codex's process group plus every process whose
 *   environment holds the run's marker (see run_marker.ts). On Linux only; a process that removes
 *   the marker from its environment is not found.
 */
import { spawn } from 'node:child_process';

import type { Containment } from '../../domain/errors.js';

export type { Containment };

/** The env switch that forces the tracking fallback (`tracking`); anything else means automatic. */
export const CONTAINMENT_SWITCH = 'CODEX_CHILD_CONTAINMENT';

const NAMESPACE_ARGS: Record<Exclude<Containment, 'tracking'>, string[]> = {
  pidns: ['--pid', '--fork', '--kill-child', '--mount-proc'],
  userns: ['--user', '--map-root-user', '--pid', '--fork', '--kill-child', '--mount-proc'],
};

/**
 * Runs `unshare <args> true`; true when it exits 0 (the kernel allowed the namespace). No pipes:
 * spawning with them (execFile) costs node ~3× the CPU, paid on every wrapper start (B9).
 */
function probe(args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('unshare', [...args, 'true'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

let detected: Promise<Containment> | undefined;

/** The best mechanism this machine allows (probed once, then cached). */
export function detectNamespaceSupport(): Promise<Containment> {
  detected ??= (async () => {
    if (process.platform !== 'linux') return 'tracking';
    if (await probe(NAMESPACE_ARGS.pidns)) return 'pidns';
    if (await probe(NAMESPACE_ARGS.userns)) return 'userns';
    return 'tracking';
  })();
  return detected;
}

/** The mechanism for a run with this environment: forced `tracking`, or the best available. */
export async function chooseContainment(env: Readonly<Record<string, string | undefined>>): Promise<Containment> {
  if (env[CONTAINMENT_SWITCH] === 'tracking') return 'tracking';
  return detectNamespaceSupport();
}

/** What teardown did, in words for failure messages. */
export function describeTeardown(containment: Containment): string {
  return containment === 'tracking'
    ? 'codex and every process carrying its run marker were killed (process tracking; a process that cleared CODEX_CHILD_RUN_ID from its environment is not found)'
    : "codex's PID namespace was ended, which kills every process of the run";
}
