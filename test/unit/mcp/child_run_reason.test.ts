/** `reason` of failed results: the library's CodexChildError reason, else the MCP-level causes. */
import { describe, expect, it } from 'vitest';
import { failureReason, type ChildRunReport } from '../../../src/mcp/child_run.js';

const report = (over: Partial<ChildRunReport>): ChildRunReport => ({
  started: true, queueMs: 0, elapsedMs: 1, timedOut: false, cancelled: false, shutdown: false, exitCode: 0, codexExitedZero: true,
  fatal: null, note: null, turnFailed: null, threadId: null, usage: null, reason: null, ...over,
});

describe('failureReason', () => {
  it('passes the adapter reason through', () => {
    for (const reason of ['timed_out', 'cancelled', 'interrupted', 'codex_failed', 'auth_missing', 'empty_output'] as const) {
      expect(failureReason(report({ reason }), null)).toBe(reason);
    }
  });
  it('names problems found before codex ran', () => {
    expect(failureReason(null, 'missing input files: a, b')).toBe('missing_inputs');
    expect(failureReason(null, 'cannot write the codex logs in v: EACCES')).toBe('internal_error');
    expect(failureReason(null, null)).toBe('internal_error');
  });
  it('blames the artifact when codex itself went fine', () => {
    expect(failureReason(report({}), null)).toBe('artifact_failed');
  });
});
