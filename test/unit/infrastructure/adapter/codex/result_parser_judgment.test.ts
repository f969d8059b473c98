/** The strict parser and the 5-line block of agent-dock HEAD's decision phases. */
import { describe, expect, it } from 'vitest';

import { parseResultBlock } from '../../../../../src/infrastructure/adapter/codex/result_parser.js';

const FIVE = 'RESULT: completed\nSUMMARY: looks good\nCHANGED_FILES: (none)\nCHECKS: cat spec.md\nJUDGMENT: Changes-Required';

describe('parseResultBlock with JUDGMENT', () => {
  it('carries the normalised judgment when the block has a valid one', () => {
    expect(parseResultBlock(FIVE, { resultPhase: 'review' })).toEqual({
      valid: true,
      issues: [],
      block: { status: 'completed', summary: 'looks good', changedFiles: [], checks: 'cat spec.md', judgment: 'changes_required' },
    });
    expect(parseResultBlock(FIVE).block?.judgment).toBe('changes_required');
    expect(parseResultBlock(FIVE.replace('JUDGMENT', 'judgment'), { resultPhase: 'test' }).block?.judgment).toBe('changes_required');
  });

  it('has no judgment key for a 4-line block', () => {
    const parsed = parseResultBlock('RESULT: completed\nSUMMARY: s\nCHANGED_FILES: a.ts\nCHECKS: c', { resultPhase: 'implement' });
    expect(parsed.valid).toBe(true);
    expect(parsed.block).not.toHaveProperty('judgment');
  });

  it('in a decision phase: a missing, invalid or placeholder JUDGMENT rejects the block', () => {
    const four = 'RESULT: completed\nSUMMARY: s\nCHANGED_FILES: none\nCHECKS: c';
    expect(parseResultBlock(four, { resultPhase: 'review' })).toEqual({ valid: false, block: null, issues: ['missing JUDGMENT line (required in the review phase)'] });
    expect(parseResultBlock(`${four}\nJUDGMENT: approve`, { resultPhase: 'Spec-Check' }).issues).toEqual([
      'JUDGMENT must be pass, changes_required or blocked, got "approve"',
    ]);
    expect(parseResultBlock(`${four}\nJUDGMENT: pass|changes_required|blocked`, { resultPhase: 'test' }).issues).toEqual([
      `JUDGMENT is the prompt's placeholder "pass|changes_required|blocked"`,
    ]);
  });

  it('in a decision phase: edited files reject the block (HEAD blocks such a task)', () => {
    const parsed = parseResultBlock('RESULT: completed\nSUMMARY: s\nCHANGED_FILES: a.ts\nCHECKS: c\nJUDGMENT: pass', { resultPhase: 'review' });
    expect(parsed).toEqual({ valid: false, block: null, issues: ['CHANGED_FILES must be (none) in the review phase, got "a.ts"'] });
  });

  it('outside decision phases an invalid JUDGMENT is noted and ignored', () => {
    const parsed = parseResultBlock('RESULT: completed\nSUMMARY: s\nCHANGED_FILES: a.ts\nCHECKS: c\nJUDGMENT: maybe', { resultPhase: 'implement' });
    expect(parsed.valid).toBe(true);
    expect(parsed.block).not.toHaveProperty('judgment');
    expect(parsed.issues).toEqual(['JUDGMENT must be pass, changes_required or blocked, got "maybe" (ignored outside decision phases)']);
  });
});
