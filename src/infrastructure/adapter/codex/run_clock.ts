/**
 * One run's stop conditions outside codex: the caller's AbortSignal and the run timeout, as one
 * signal for the work the adapter does itself (the two `.env*` snapshots), and the errors for a
 * run stopped while codex was not running.
 */
import { childError, type CodexChildError, type StopPhase } from '../../../domain/errors.js';
import { isHandledSignal, signalExitCode } from '../../process/signals.js';

/** The stop conditions of one run, started when the run starts. */
export interface RunClock {
  /** Aborts on the caller's signal or when the timeout expires. */
  readonly signal: AbortSignal;
  /** True once the timeout expired. */
  readonly timedOut: boolean;
  /** Milliseconds left of the timeout (at least 1), or undefined without a timeout. */
  remainingMs(): number | undefined;
  dispose(): void;
}

/** Starts the clock: `timeoutMs` counts from now and covers both snapshots and codex. */
export function startRunClock(timeoutMs: number | undefined, caller: AbortSignal | undefined): RunClock {
  const controller = new AbortController();
  const startedAt = Date.now();
  let timedOut = false;
  const onAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort({ timeout: timeoutMs });
        }, timeoutMs);
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    remainingMs: () => (timeoutMs === undefined ? undefined : Math.max(1, timeoutMs - (Date.now() - startedAt))),
    dispose() {
      if (timer) clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}

/** Where the run was when it stopped without codex running (defined with the error details). */
export type { StopPhase };

const PHASE_TEXT: Record<StopPhase, string> = {
  before_codex: 'during the .env* snapshot; codex was not started',
  after_codex: 'during the .env* check after codex ended',
};

/**
 * The error of a run stopped by its clock while the adapter itself was working: `timed_out`
 * (exit 124), `interrupted` (128+N for a signal reason such as `{ signal: 'SIGTERM' }`) or
 * `cancelled` (exit 130). The text says what was actually done: no process group was killed.
 */
export function stoppedOutsideCodexError(clock: RunClock, timeoutMs: number | undefined, phase: StopPhase): CodexChildError {
  const where = PHASE_TEXT[phase];
  if (clock.timedOut) {
    return childError({ reason: 'timed_out', message: `codex run timed out after ${timeoutMs} ms ${where}`, details: { phase } });
  }
  const signal = (clock.signal.reason as { signal?: string } | undefined)?.signal;
  if (isHandledSignal(signal)) {
    return childError({
      reason: 'interrupted',
      exitCode: signalExitCode(signal) as number,
      message: `codex_wrapper interrupted by ${signal} ${where}`,
      details: { signal, phase },
    });
  }
  return childError({ reason: 'cancelled', message: `codex run cancelled ${where}`, details: { phase } });
}
