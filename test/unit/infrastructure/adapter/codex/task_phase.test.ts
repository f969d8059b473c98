/** agent-dock HEAD phases (agent-dock-head-contract.md §4.2, §4.3): naming and the payload phase. */
import { describe, expect, it } from 'vitest';

import { valueOf } from '../../../../support/result.js';
import { validatePayload } from '../../../../../src/infrastructure/adapter/codex/payload_validator.js';
import { isDecisionPhase, jsString, normalizeTaskPhase, payloadPhase } from '../../../../../src/infrastructure/adapter/codex/task_phase.js';
import { parsePyJson } from '../../../../../src/compat/python/py_json.js';

function phaseOf(task: Record<string, unknown> | string): string | null {
  const json = typeof task === 'string' ? `{"mode":"execute","task":${task}}` : JSON.stringify({ mode: 'execute', task });
  return payloadPhase(valueOf(validatePayload(Buffer.from(json, 'utf8'))).task);
}

const log = (...texts: unknown[]) => texts.map((text) => ({ source: 'system', text, timestamp: 1 }));

describe('normalizeTaskPhase (§4.3)', () => {
  it('trims JavaScript whitespace, lower-cases, maps - to _', () => {
    expect(normalizeTaskPhase(' Review ')).toBe('review');
    expect(normalizeTaskPhase('\u3000SPEC-CHECK\ufeff')).toBe('spec_check');
    expect(normalizeTaskPhase('\u2028test\u00a0')).toBe('test');
    expect(normalizeTaskPhase('implement')).toBe('implement');
  });

  it('refuses everything else', () => {
    for (const value of [undefined, '', 'qa', 'spec check', 'reviews', '\u0085review', 'impl']) expect(normalizeTaskPhase(value)).toBeNull();
  });

  it('review, spec_check and test are the decision phases', () => {
    expect([null, 'implement', 'review', 'spec_check', 'test'].map((p) => isDecisionPhase(p as never))).toEqual([false, false, true, true, true]);
  });
});

describe('payloadPhase (§4.2 examples, all observed in HEAD)', () => {
  const policy = (...order: unknown[]) => ({ persona_policy: { phase_order: order } });

  it.each([
    ['index 1 of [implement, review]', { current_phase_index: 1, ...policy('implement', 'review') }, 'review'],
    ['index 1 of [implement, spec-check]', { current_phase_index: 1, ...policy('implement', 'spec-check') }, 'spec_check'],
    ['index 1 of [implement, " TEST "]', { current_phase_index: 1, ...policy('implement', ' TEST ') }, 'test'],
    ['current_phase wins over the index', { current_phase: ' Review ', current_phase_index: 0, ...policy('implement', 'review') }, 'review'],
    ['an unknown current_phase falls through to the index', { current_phase: 'qa', current_phase_index: 1, ...policy('implement', 'review') }, 'review'],
    [
      'index past the order: the last phase= entry',
      { current_phase_index: 2, ...policy('implement', 'review'), progress_log: log('execution started persona=a phase=review', 'execution started persona=b phase=test') },
      'test',
    ],
    ['index 1.9 truncates to 1', { current_phase_index: 1.9, ...policy('implement', 'review') }, 'review'],
    ['index -0.5 truncates to 0', { current_phase_index: -0.5, ...policy('review') }, 'review'],
    ['a string index is no index', { current_phase_index: '1', ...policy('implement', 'review'), progress_log: log('no mark here') }, null],
    ['a boolean index is no index', { current_phase_index: true, ...policy('implement', 'review') }, null],
    ['a negative index is no index', { current_phase_index: -1, ...policy('review') }, null],
    ['phase_order must be in an object policy', { current_phase_index: 0, persona_policy: [['review']] }, null],
    ['next_phase= is no mark', { progress_log: log('x phase=implement', 'y phase=review', 'task handed off task=1.1 next_phase=implement') }, 'review'],
    ['only the first mark of an entry is tried', { progress_log: log('x phase=test', 'note: phase=draft was renamed, now phase=review') }, 'test'],
    ['the mark is case-insensitive', { progress_log: log('switching PHASE=Spec-Check, please wait') }, 'spec_check'],
    ['a trailing - is backed off', { progress_log: log('phase=review- done') }, 'review'],
    ['no policy and no mark (sample_tasks.json)', { id: 'T-003', progress_log: [] }, null],
    ['non-object entries are skipped', { progress_log: ['phase=review', null, ...log('phase=test'), 7] }, 'test'],
    ['a non-list log is no log', { progress_log: 'phase=review' }, null],
    ['text in its JavaScript String() form', { progress_log: log(['phase=review', 'x']) }, 'review'],
    ['a null text is empty', { progress_log: [...log('phase=test'), { text: null }] }, 'test'],
  ])('%s', (_name, task, expected) => {
    expect(phaseOf(task)).toBe(expected);
  });

  it('U+212A (Kelvin) is a word character under the iu flags, so it blocks the boundary', () => {
    expect(phaseOf({ progress_log: log('\u212aphase=review') })).toBeNull();
    expect(phaseOf({ progress_log: log('-phase=review') })).toBe('review');
  });

  it('a big integer index is a number too', () => {
    expect(phaseOf('{"current_phase_index": 100000000000000000000, "persona_policy": {"phase_order": ["review"]}}')).toBeNull();
  });
});

describe('jsString', () => {
  const js = (json: string) => {
    const parsed = parsePyJson(json);
    if (!parsed.ok) throw new Error(parsed.error);
    return jsString(parsed.value);
  };
  it('matches JavaScript String() of the JSON.parse value', () => {
    for (const json of ['"a"', '1', '1.0', '1e21', 'true', 'null', '[1,null,"b",[2,3]]', '{"k":1}', '-0.0']) {
      expect(js(json)).toBe(String(JSON.parse(json)));
    }
  });
});
