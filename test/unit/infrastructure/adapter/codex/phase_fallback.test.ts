/**
 * agent-dock HEAD's fallback (agent-dock-head-contract.md §6) and its value rules: the golden
 * examples G4–G6 and every rule of §6.1–§6.5.
 */
import { describe, expect, it } from 'vitest';

import { phaseFallbackResult } from '../../../../../src/infrastructure/adapter/codex/phase_fallback.js';
import { normalizeChangedFilesText, normalizeJudgment } from '../../../../../src/infrastructure/adapter/codex/result_parser.js';

const ok = (text: string) => ({ ok: true, value: text });
const NOT_FOUND = { ok: false, error: 'result block not found' };
const BAD_PHASE = { ok: false, error: 'missing or invalid RESULT_PHASE' };
const block = (changed = 'a.ts', extra = '') => `RESULT: completed\nSUMMARY: s\nCHANGED_FILES: ${changed}\nCHECKS: c${extra}`;

describe('golden examples (§9)', () => {
  it('G4: review phase, 5-line block, SUMMARY trimmed, none → (none), Changes-Required normalised', () => {
    const message = 'Review done.\nRESULT: completed\nSUMMARY:   proposal is consistent  \nCHANGED_FILES: none\nCHECKS: cat openspec/changes/add-polish/proposal.md\nJUDGMENT: Changes-Required';
    expect(phaseFallbackResult([message], 'review')).toEqual(
      ok('RESULT: completed\nSUMMARY: proposal is consistent\nCHANGED_FILES: (none)\nCHECKS: cat openspec/changes/add-polish/proposal.md\nJUDGMENT: changes_required'),
    );
  });

  it('G5: implement, CHANGED_FILES cleaned, an invalid JUDGMENT dropped', () => {
    const message = 'RESULT: completed\nSUMMARY: telemetry summary added\nCHANGED_FILES: src/logging/summary.ts ,, - , none, src/logging/index.ts\nCHECKS: deno test --allow-read\nJUDGMENT: maybe';
    expect(phaseFallbackResult([message], 'implement')).toEqual(
      ok('RESULT: completed\nSUMMARY: telemetry summary added\nCHANGED_FILES: src/logging/summary.ts, src/logging/index.ts\nCHECKS: deno test --allow-read'),
    );
  });

  it('G6: no JUDGMENT in a review phase → result block not found; RESULT_PHASE=bogus → missing or invalid RESULT_PHASE', () => {
    const review = 'RESULT: completed\nSUMMARY: proposal is consistent\nCHANGED_FILES: (none)\nCHECKS: cat openspec/changes/add-polish/proposal.md';
    expect(phaseFallbackResult([review], 'review')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult(['RESULT: completed\nSUMMARY: s\nCHANGED_FILES: a.ts\nCHECKS: c'], 'bogus')).toEqual(BAD_PHASE);
  });
});

describe('§6.1 the result phase', () => {
  it('unset, empty or unknown → the phase line, before any block is looked at', () => {
    for (const phase of [undefined, '', 'bogus', 'qa', 'spec check']) expect(phaseFallbackResult([block()], phase)).toEqual(BAD_PHASE);
    expect(phaseFallbackResult([], undefined)).toEqual(BAD_PHASE);
  });

  it('is normalised like a payload phase (§4.3)', () => {
    expect(phaseFallbackResult([block('(none)', '\nJUDGMENT: pass')], ' Spec-Check ')).toEqual(ok(block('(none)', '\nJUDGMENT: pass')));
    expect(phaseFallbackResult([block()], 'IMPLEMENT')).toEqual(ok(block()));
  });
});

describe('§6.2 / §6.3 finding and reading the block', () => {
  it('takes the block at the last RESULT line over all messages', () => {
    const older = 'RESULT: blocked\nSUMMARY: old\nCHANGED_FILES: old.ts\nCHECKS: old';
    expect(phaseFallbackResult([older, 'thinking…', block()], 'implement')).toEqual(ok(block()));
  });

  it('never starts at the placeholder RESULT line, and a placeholder-only transcript has no block (§8.1 d)', () => {
    const placeholders = 'RESULT: completed|blocked\nSUMMARY: <=100 chars\nCHANGED_FILES: comma-separated\nCHECKS: executed check commands';
    expect(phaseFallbackResult([placeholders], 'implement')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult([block(), placeholders], 'implement')).toEqual(ok(block()));
  });

  it('does not merge an older complete block with a newer partial one (V661 did)', () => {
    expect(phaseFallbackResult([block(), 'RESULT: completed\nSUMMARY: newer'], 'implement')).toEqual(NOT_FOUND);
  });

  it('stops at an empty line, a foreign line or the end of the message', () => {
    expect(phaseFallbackResult(['RESULT: completed\nSUMMARY: s\n\nCHANGED_FILES: a\nCHECKS: c'], 'implement')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult(['RESULT: completed\nSUMMARY: s\nNote: x\nCHANGED_FILES: a\nCHECKS: c'], 'implement')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult(['RESULT: completed\nSUMMARY: s', 'CHANGED_FILES: a\nCHECKS: c'], 'implement')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult([`${block()}\nThat is all.\nCHECKS: later`], 'implement')).toEqual(ok(block()));
  });

  it('reads the keys in any order and writes them in the fixed order', () => {
    expect(phaseFallbackResult(['RESULT: done\nCHECKS: c\nJUDGMENT: PASS\nCHANGED_FILES:\nSUMMARY: s'], 'test')).toEqual(
      ok('RESULT: done\nSUMMARY: s\nCHANGED_FILES: (none)\nCHECKS: c\nJUDGMENT: pass'),
    );
  });

  it('a key seen twice → no result', () => {
    expect(phaseFallbackResult([`${block()}\nSUMMARY: again`], 'implement')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult([`${block('-')}\nJUDGMENT: pass\nJUDGMENT: pass`], 'review')).toEqual(NOT_FOUND);
  });

  it('keys are case-sensitive; SUMMARY:, RESULT: and CHECKS: need a value, CHANGED_FILES: does not', () => {
    expect(phaseFallbackResult(['result: completed\nSUMMARY: s\nCHANGED_FILES: a\nCHECKS: c'], 'implement')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult(['RESULT: completed\nSUMMARY:\nCHANGED_FILES: a\nCHECKS: c'], 'implement')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult(['RESULT: completed\nSUMMARY: s\nCHANGED_FILES: a\nCHECKS:   '], 'implement')).toEqual(NOT_FOUND);
    expect(phaseFallbackResult(['RESULT: completed\nSUMMARY: s\nCHANGED_FILES:\nCHECKS: c'], 'implement')).toEqual(ok(block('(none)')));
  });

  it('splits on \\n (dropping a \\r before it) and trims JavaScript whitespace', () => {
    expect(phaseFallbackResult(['\ufeff RESULT: completed \r\n\u3000SUMMARY:\u00a0s\r\nCHANGED_FILES: a.ts\r\nCHECKS: c\r\n'], 'implement')).toEqual(ok(block()));
    // A lone \r is no line break, and `.` does not cross it: that line matches nothing.
    expect(phaseFallbackResult(['RESULT: completed\rSUMMARY: s\nCHANGED_FILES: a\nCHECKS: c'], 'implement')).toEqual(NOT_FOUND);
  });

  it('RESULT is not checked (`done` passes)', () => {
    expect(phaseFallbackResult(['RESULT: done\nSUMMARY: s\nCHANGED_FILES: a.ts\nCHECKS: c'], 'implement')).toEqual(ok('RESULT: done\nSUMMARY: s\nCHANGED_FILES: a.ts\nCHECKS: c'));
  });
});

describe('§6.4 JUDGMENT', () => {
  it.each([
    ['implement', '', block()],
    ['implement', '\nJUDGMENT: Changes-Required', block('a.ts', '\nJUDGMENT: changes_required')],
    ['implement', '\nJUDGMENT: maybe', block()],
    ['review', '\nJUDGMENT: PASS', block('a.ts', '\nJUDGMENT: pass')],
    ['spec_check', '\nJUDGMENT: changesrequired', block('a.ts', '\nJUDGMENT: changes_required')],
    ['test', '\nJUDGMENT: Blocked', block('a.ts', '\nJUDGMENT: blocked')],
  ])('%s with %j', (phase, judgment, expected) => {
    expect(phaseFallbackResult([block('a.ts', judgment)], phase)).toEqual(ok(expected));
  });

  it.each(['review', 'spec_check', 'test'])('%s: none or invalid → no result', (phase) => {
    for (const judgment of ['', '\nJUDGMENT:', '\nJUDGMENT: maybe', '\nJUDGMENT: pass|changes_required|blocked', '\nJUDGMENT: approve', '\nJUDGMENT: changes required']) {
      expect(phaseFallbackResult([block('a.ts', judgment)], phase)).toEqual(NOT_FOUND);
    }
  });

  it('normalizeJudgment: trim, lower-case, - → _, aliases', () => {
    expect(['pass', ' PASS ', 'Changes-Required', 'changes_required', 'changesrequired', 'CHANGESREQUIRED', 'Blocked'].map(normalizeJudgment)).toEqual([
      'pass',
      'pass',
      'changes_required',
      'changes_required',
      'changes_required',
      'changes_required',
      'blocked',
    ]);
    for (const raw of ['', 'approve', 'changes required', 'pass|changes_required|blocked', 'changes--required', 'passed']) expect(normalizeJudgment(raw)).toBeNull();
  });
});

describe('§6.5 CHANGED_FILES', () => {
  it.each([
    ['src/a.ts ,, src/b.ts , ', 'src/a.ts, src/b.ts'],
    ['src/a.ts, (NONE), -, src/b.ts', 'src/a.ts, src/b.ts'],
    [' , none , - , (none) ,', '(none)'],
    ['', '(none)'],
    ['None', '(none)'],
    ['(NONE)', '(none)'],
    ['a.ts, a.ts', 'a.ts, a.ts'],
    ['n/a', 'n/a'],
    ['a.ts,b.ts', 'a.ts, b.ts'],
  ])('%j → %j', (value, normalised) => {
    expect(normalizeChangedFilesText(value)).toBe(normalised);
  });
});
