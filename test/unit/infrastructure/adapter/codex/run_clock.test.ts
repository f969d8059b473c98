/**
 * startRunClock / stoppedOutsideCodexError: one signal for the caller's abort and the timeout,
 * and the error of a run stopped while codex was not running (timed_out, interrupted, cancelled).
 */
import { describe, expect, it } from 'vitest';
import { startRunClock, stoppedOutsideCodexError } from '../../../../../src/infrastructure/adapter/codex/run_clock.js';

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

describe('startRunClock', () => {
  it('without timeout or caller: never aborts, no remaining time', () => {
    const clock = startRunClock(undefined, undefined);
    expect(clock.signal.aborted).toBe(false);
    expect(clock.timedOut).toBe(false);
    expect(clock.remainingMs()).toBeUndefined();
    clock.dispose();
  });

  it('aborts when the timeout expires, with { timeout } as the reason', async () => {
    const clock = startRunClock(20, undefined);
    await aborted(clock.signal);
    expect(clock.timedOut).toBe(true);
    expect(clock.signal.reason).toEqual({ timeout: 20 });
    clock.dispose();
  });

  it('remainingMs is at least 1 once the time is up (it is handed on as a timeout)', async () => {
    const clock = startRunClock(1, undefined);
    await aborted(clock.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.remainingMs()).toBe(1);
    clock.dispose();
  });

  it('remainingMs counts down from the timeout', () => {
    const clock = startRunClock(600_000, undefined);
    const left = clock.remainingMs() as number;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(600_000);
    clock.dispose();
  });

  it("follows the caller's signal with its reason, also when it was aborted before the start", () => {
    const caller = new AbortController();
    const clock = startRunClock(600_000, caller.signal);
    caller.abort({ signal: 'SIGTERM' });
    expect(clock.signal.aborted).toBe(true);
    expect(clock.signal.reason).toEqual({ signal: 'SIGTERM' });
    expect(clock.timedOut).toBe(false);
    clock.dispose();
    const early = new AbortController();
    early.abort('gone');
    const second = startRunClock(undefined, early.signal);
    expect(second.signal.reason).toBe('gone');
    second.dispose();
  });

  it('after dispose neither the timeout nor the caller abort it', async () => {
    const caller = new AbortController();
    const clock = startRunClock(10, caller.signal);
    clock.dispose();
    caller.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(clock.signal.aborted).toBe(false);
    expect(clock.timedOut).toBe(false);
  });
});

describe('stoppedOutsideCodexError', () => {
  it('is timed_out (exit 124) when the timeout fired, naming the phase', async () => {
    const clock = startRunClock(5, undefined);
    await aborted(clock.signal);
    const error = stoppedOutsideCodexError(clock, 5, 'before_codex');
    expect(error.reason).toBe('timed_out');
    expect(error.exitCode).toBe(124);
    expect(error.message).toBe('codex run timed out after 5 ms during the .env* snapshot; codex was not started');
    expect(error.details).toEqual({ phase: 'before_codex' });
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ])('is interrupted with exit 128+N for a %s reason', (signal, exitCode) => {
    const caller = new AbortController();
    caller.abort({ signal });
    const clock = startRunClock(undefined, caller.signal);
    const error = stoppedOutsideCodexError(clock, undefined, 'after_codex');
    expect(error.reason).toBe('interrupted');
    expect(error.exitCode).toBe(exitCode);
    expect(error.message).toBe(`codex_wrapper interrupted by ${signal} during the .env* check after codex ended`);
    expect(error.details).toEqual({ signal, phase: 'after_codex' });
  });

  it('is cancelled (exit 130) for any other abort reason, a SIGKILL reason included', () => {
    for (const reason of [undefined, 'stop', { signal: 'SIGKILL' }, new Error('x')]) {
      const caller = new AbortController();
      caller.abort(reason);
      const error = stoppedOutsideCodexError(startRunClock(undefined, caller.signal), undefined, 'before_codex');
      expect(error.reason).toBe('cancelled');
      expect(error.exitCode).toBe(130);
      expect(error.message).toBe('codex run cancelled during the .env* snapshot; codex was not started');
    }
  });
});
