/**
 * Signal names and the shell's exit codes for them (128 + N), in one place for the executor
 * runner, the adapter and both front doors.
 */
import { constants } from 'node:os';

/** The signals both front doors handle: the process then exits 128 + N after cleaning up. */
export const HANDLED_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;
export type HandledSignal = (typeof HANDLED_SIGNALS)[number];

/** 128 + the signal's number (SIGTERM → 143), as a shell reports a process killed by it. */
export function signalExitCode(signal: string): number | undefined {
  const number = (constants.signals as Record<string, number | undefined>)[signal];
  return number === undefined ? undefined : 128 + number;
}

/** True for the signals in {@link HANDLED_SIGNALS}. */
export function isHandledSignal(signal: unknown): signal is HandledSignal {
  return typeof signal === 'string' && (HANDLED_SIGNALS as readonly string[]).includes(signal);
}
