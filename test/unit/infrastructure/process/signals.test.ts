/** signals.ts: the handled signals and the shell's 128+N exit codes. */
import { describe, expect, it } from 'vitest';
import { HANDLED_SIGNALS, isHandledSignal, signalExitCode } from '../../../../src/infrastructure/process/signals.js';

describe('signalExitCode', () => {
  it('is 128 + the signal number, as a shell reports it', () => {
    expect(signalExitCode('SIGHUP')).toBe(129);
    expect(signalExitCode('SIGINT')).toBe(130);
    expect(signalExitCode('SIGKILL')).toBe(137);
    expect(signalExitCode('SIGTERM')).toBe(143);
  });

  it('is undefined for a name that is no signal', () => {
    expect(signalExitCode('SIGNOPE')).toBeUndefined();
    expect(signalExitCode('')).toBeUndefined();
    expect(signalExitCode('toString')).toBeUndefined();
  });
});

describe('isHandledSignal', () => {
  it('accepts exactly SIGHUP, SIGINT and SIGTERM', () => {
    expect([...HANDLED_SIGNALS].sort()).toEqual(['SIGHUP', 'SIGINT', 'SIGTERM']);
    for (const name of HANDLED_SIGNALS) expect(isHandledSignal(name)).toBe(true);
  });

  it.each([['SIGKILL'], ['sigterm'], [15], [undefined], [null], [{ signal: 'SIGTERM' }]])('rejects %j', (value) => {
    expect(isHandledSignal(value)).toBe(false);
  });
});
