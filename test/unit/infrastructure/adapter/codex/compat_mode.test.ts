/** The switch between V661 and agent-dock HEAD rules (agent-dock-head-contract.md §2, §7). */
import { describe, expect, it } from 'vitest';

import { decideCompat, parseKeepLines, viewEnvOverrides } from '../../../../../src/infrastructure/adapter/codex/compat_mode.js';

describe('decideCompat (§2)', () => {
  it.each([
    [{}, 'v661'],
    [{ RESULT_PHASE: 'review' }, 'agent-dock-head'],
    [{ RESULT_PHASE: 'bogus' }, 'agent-dock-head'], // the value does not choose the mode
    [{ RESULT_PHASE: ' ' }, 'agent-dock-head'],
    [{ RESULT_PHASE: '' }, 'v661'],
    [{ CODEX_WRAPPER_COMPAT: 'agent-dock-head' }, 'agent-dock-head'],
    [{ CODEX_WRAPPER_COMPAT: 'agent-dock-HEAD' }, 'v661'],
    [{ CODEX_WRAPPER_COMPAT: ' agent-dock-head' }, 'v661'],
    [{ CODEX_WRAPPER_COMPAT: 'agent-dock-head ' }, 'v661'],
    [{ CODEX_WRAPPER_COMPAT: 'v661', RESULT_PHASE: 'implement' }, 'agent-dock-head'],
  ] as const)('%j → %s', (env, mode) => {
    expect(decideCompat(env).mode).toBe(mode);
  });

  it('keeps the raw RESULT_PHASE in HEAD mode only', () => {
    expect(decideCompat({ RESULT_PHASE: 'Spec-Check' }).resultPhase).toBe('Spec-Check');
    expect(decideCompat({ CODEX_WRAPPER_COMPAT: 'agent-dock-head' }).resultPhase).toBeUndefined();
    expect(decideCompat({ RESULT_PHASE: 'review' }, { compat: 'v661' })).toEqual({ mode: 'v661', resultPhase: undefined, warning: null });
  });

  it('typed options win over the environment', () => {
    expect(decideCompat({}, { compat: 'agent-dock-head', resultPhase: 'test' })).toEqual({ mode: 'agent-dock-head', resultPhase: 'test', warning: null });
    expect(decideCompat({}, { resultPhase: 'review' }).mode).toBe('agent-dock-head');
    expect(decideCompat({ RESULT_PHASE: 'review' }, { resultPhase: 'test' }).resultPhase).toBe('test');
    expect(decideCompat({ CODEX_WRAPPER_COMPAT: 'agent-dock-head' }, { compat: 'v661' }).mode).toBe('v661');
  });

  it('one warning line for an unrecognised CODEX_WRAPPER_COMPAT, none for unset, empty or the real value', () => {
    expect(decideCompat({ CODEX_WRAPPER_COMPAT: 'agent-dock-HEAD' }).warning).toBe(
      '[codex_wrapper] warning: CODEX_WRAPPER_COMPAT="agent-dock-HEAD" is not recognised (only "agent-dock-head"); ignored',
    );
    expect(decideCompat({ CODEX_WRAPPER_COMPAT: 'x\ny' }).warning).not.toContain('\n');
    for (const env of [{}, { CODEX_WRAPPER_COMPAT: '' }, { CODEX_WRAPPER_COMPAT: 'agent-dock-head' }]) expect(decideCompat(env).warning).toBeNull();
  });
});

describe('CODEX_STREAM_EXEC_KEEP_LINES (§7)', () => {
  it.each([
    [undefined, '3'],
    ['', '3'],
    ['1', '1'],
    ['50', '50'],
    ['007', '7'],
    ['0', '0'],
    ['-2', '-2'],
    ['-0', '0'],
    ['99999999999999999999', '99999999999999999999'],
    ['abc', 'none'],
    ['2x', 'none'],
    ['+3', 'none'],
    [' 3', 'none'],
    ['3 ', 'none'],
    ['1.5', 'none'],
    ['-', 'none'],
    ['٣', 'none'], // decimal digits are ASCII digits
  ])('%j → %s', (value, parsed) => {
    expect(parseKeepLines(value)).toBe(parsed);
  });

  it('HEAD mode hands the fold to the executor and turns truncation off; V661 removes the fold variable', () => {
    const env = { CODEX_STREAM_EXEC_KEEP_LINES: '1', CODEX_STREAM_EXEC_MAX_CHARS: '20', CODEX_EXECUTOR_KEEP_LINES: '9' };
    expect(viewEnvOverrides(decideCompat({ RESULT_PHASE: 'implement' }), env)).toEqual({ CODEX_EXECUTOR_KEEP_LINES: '1', CODEX_STREAM_EXEC_MAX_CHARS: '0' });
    expect(viewEnvOverrides(decideCompat({}), env)).toEqual({ CODEX_EXECUTOR_KEEP_LINES: undefined });
    expect(viewEnvOverrides(decideCompat({ RESULT_PHASE: 'review' }), {})).toEqual({ CODEX_EXECUTOR_KEEP_LINES: '3', CODEX_STREAM_EXEC_MAX_CHARS: '0' });
  });
});
