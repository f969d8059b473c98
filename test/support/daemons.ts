/** A model command that daemonises twice (issue 9, item 3), for the no-survivor tests. */

/**
 * Two daemons that leave codex's process group and session (`setsid -f`, and a double fork into a
 * new session), each writing its pid file (d1.pid, d2.pid in the command's cwd) before it sleeps;
 * the command returns once both are up.
 */
export const DAEMONS =
  "setsid -f sh -c 'echo $$ > d1.pid; exec sleep 300' >/dev/null 2>&1 </dev/null; " +
  "(setsid sh -c 'echo $$ > d2.pid; exec sleep 301' >/dev/null 2>&1 </dev/null &); " +
  'while [ ! -s d1.pid ] || [ ! -s d2.pid ]; do sleep 0.05; done';
