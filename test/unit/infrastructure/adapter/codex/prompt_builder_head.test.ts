/**
 * agent-dock HEAD prompts (agent-dock-head-contract.md §3, §4): the golden examples G1–G3 byte for
 * byte, the size rules against the V661 prompt, the cap applied to the longer prompt, and the
 * payload phase choosing the 4- or 5-line contract.
 */
import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { CompatMode } from '../../../../../src/infrastructure/adapter/codex/compat_mode.js';
import { checkMode, validatePayload } from '../../../../../src/infrastructure/adapter/codex/payload_validator.js';
import { buildPrompt } from '../../../../../src/infrastructure/adapter/codex/prompt_builder.js';
import { HEAD_TEMPLATES, V661_TEMPLATES } from '../../../../../src/infrastructure/adapter/codex/prompt_templates.js';
import type { EnvRecord } from '../../../../../src/infrastructure/env.js';
import { valueOf } from '../../../../support/result.js';
import { G1_PAYLOAD, G2_PAYLOAD, G3_PAYLOAD } from '../../../../support/head_goldens.js';

function prompt(json: string, compat: CompatMode | undefined, env: EnvRecord = {}): string {
  const payload = valueOf(validatePayload(Buffer.from(json, 'utf8')));
  return buildPrompt(payload, valueOf(checkMode(payload)), env, compat);
}

function digest(text: string): { bytes: number; sha256: string } {
  const bytes = Buffer.from(text, 'utf8');
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const G1_PROMPT = `You are implementation teammate teammate-a.
Create only the execution plan for this task.

task_id: T-001
title: Define interface contracts
description: Create shared contracts before coding.
target_paths: src/contracts/*
depends_on: (none)
requires_plan: True

Constraints:
- Do not propose edits outside target_paths
- Do not read/reference/edit .env or .env.*
- Keep steps short and concrete
- Include local verification commands at the end
- For \`deno test\`, use \`--allow-read --allow-write --allow-env --allow-run\` by default

Output format:
1) Acceptance criteria
2) Implementation steps
3) Files to edit
4) Local checks
Keep total output within 12 lines.`;

const G2_PROMPT = `You are implementation teammate spec-reviewer.
Execute the task below.

task_id: 1.1
title: Review the proposal
description: Check proposal.md against the requirements.
target_paths: openspec/changes/add-polish/proposal.md
depends_on: (none)
requires_plan: False
existing_progress_log_count: 1
existing_progress_log_recent:
- [1739200001.500] system: execution started persona=spec-reviewer phase=review

Constraints:
- Do not edit outside target_paths
- Do not read/reference/edit .env or .env.*
- Run required local checks
- For \`deno test\`, use \`--allow-read --allow-write --allow-env --allow-run\` by default
- If failed, provide a short root cause
- In non-implement phases, CHANGED_FILES must be (none)


Final output must be exactly these 5 lines:
RESULT: completed|blocked
SUMMARY: <=100 chars
CHANGED_FILES: comma-separated
CHECKS: executed check commands
JUDGMENT: pass|changes_required|blocked`;

const G3_PROMPT = `You are implementation teammate teammate-a.
Execute the task below.

task_id: T-003
title: Add telemetry output
description: Emit run summary for operators.
target_paths: src/logging/*
depends_on: T-002
requires_plan: False
existing_progress_log_count: 0
existing_progress_log_recent:
(none)

Constraints:
- Do not edit outside target_paths
- Do not read/reference/edit .env or .env.*
- Run required local checks
- For \`deno test\`, use \`--allow-read --allow-write --allow-env --allow-run\` by default
- If failed, provide a short root cause


Final output must be exactly these 4 lines:
RESULT: completed|blocked
SUMMARY: <=100 chars
CHANGED_FILES: comma-separated
CHECKS: executed check commands`;

describe('golden examples (§9)', () => {
  it('G1: plan prompt in HEAD mode, 661 bytes, the spec digest', () => {
    const text = prompt(G1_PAYLOAD, 'agent-dock-head');
    expect(text).toBe(G1_PROMPT);
    expect(digest(text)).toEqual({ bytes: 661, sha256: 'a955b360e202050186fda113b0da8d1fccdf9b2efa70c20886132768fcc5f8de' });
  });

  it('G2: execute prompt, review phase from current_phase_index, 903 bytes', () => {
    const text = prompt(G2_PAYLOAD, 'agent-dock-head');
    expect(text).toBe(G2_PROMPT);
    expect(digest(text)).toEqual({ bytes: 903, sha256: 'cd70e14a2dd772d2f1d9fab1e6b7d30521efaf47a924ce2fbb7a2d68f43e8122' });
  });

  it('G3: execute prompt, no phase in the payload, 695 bytes', () => {
    const text = prompt(G3_PAYLOAD, 'agent-dock-head');
    expect(text).toBe(G3_PROMPT);
    expect(digest(text)).toEqual({ bytes: 695, sha256: '6d53456e1fb24e6894264c25f69d08e8b09132804763d696d5f7a4fc3003e475' });
  });

  it('the same payloads in V661 mode give the V661 prompts (no deno line, one gap line, 4 lines)', () => {
    for (const json of [G1_PAYLOAD, G2_PAYLOAD, G3_PAYLOAD]) {
      const v661 = prompt(json, 'v661');
      expect(v661).not.toContain('deno test');
      expect(v661).not.toContain('JUDGMENT');
      expect(v661).not.toContain('\n\n\n');
      expect(v661).toBe(prompt(json, undefined)); // the builder's default is V661
    }
  });
});

describe('size rules (§3, §4.1)', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

  it('plan: V661 + 87 bytes, whatever the phase fields say', () => {
    const plan = JSON.stringify({ mode: 'plan', teammate_id: 't', task: { id: 1, current_phase: 'review', progress_log: [{ text: 'phase=test' }] } });
    expect(bytes(prompt(plan, 'agent-dock-head')) - bytes(prompt(plan, 'v661'))).toBe(87);
  });

  it('execute: V661 + 88 bytes without a phase or in implement, + 184 in each decision phase', () => {
    const withPhase = (phase: string | null) =>
      JSON.stringify({ mode: 'execute', teammate_id: 't', task: { id: 1, ...(phase === null ? {} : { current_phase: phase }) } });
    for (const [phase, extra] of [[null, 88], ['implement', 88], ['review', 184], ['spec_check', 184], ['test', 184]] as const) {
      expect(bytes(prompt(withPhase(phase), 'agent-dock-head')) - bytes(prompt(withPhase(phase), 'v661'))).toBe(extra);
    }
  });

  it('the deno line is 86 ASCII characters', () => {
    const line = HEAD_TEMPLATES.plan.constraints.at(-1) ?? '';
    expect(line).toMatch(/^[\x20-\x7e]{86}$/);
    expect(V661_TEMPLATES.plan.constraints).not.toContain(line);
  });
});

describe('the cap applies to the HEAD prompt (§4.1)', () => {
  /** A review payload whose HEAD prompt is exactly `size` code points. */
  function reviewPayloadOfSize(size: number): string {
    const make = (description: string) =>
      JSON.stringify({ mode: 'execute', teammate_id: 'rv', task: { id: 'R-1', description, current_phase: 'review' } });
    const base = [...prompt(make(''), 'agent-dock-head', { CODEX_PROMPT_MAX_CHARS: '120000' })].length;
    return make('d'.repeat(size - base));
  }

  it('MAX=2000: a 2050-character review prompt becomes 1970 characters, its V661 prompt (1866) is not cut', () => {
    const json = reviewPayloadOfSize(2050);
    expect([...prompt(json, 'agent-dock-head', { CODEX_PROMPT_MAX_CHARS: '120000' })]).toHaveLength(2050);
    const cut = prompt(json, 'agent-dock-head', { CODEX_PROMPT_MAX_CHARS: '2000' });
    expect([...cut]).toHaveLength(1970);
    expect(cut.endsWith('SUMMARY: <=10\n\n[truncated by codex_wrapper]')).toBe(true);
    const v661 = prompt(json, 'v661', { CODEX_PROMPT_MAX_CHARS: '2000' });
    expect([...v661]).toHaveLength(1866);
    expect(v661).not.toContain('[truncated by codex_wrapper]');
  });
});

describe('the payload phase chooses the output contract (§4.2 examples)', () => {
  const contractOf = (task: Record<string, unknown>): '4 lines' | '5 lines' => {
    const text = prompt(JSON.stringify({ mode: 'execute', teammate_id: 't', task }), 'agent-dock-head');
    const five = text.endsWith('\nJUDGMENT: pass|changes_required|blocked');
    expect(text.includes('- In non-implement phases, CHANGED_FILES must be (none)')).toBe(five);
    expect(text.includes('Final output must be exactly these 5 lines:')).toBe(five);
    return five ? '5 lines' : '4 lines';
  };

  it('decision phases from current_phase_index, current_phase and the log give 5 lines', () => {
    expect(contractOf({ current_phase_index: 1, persona_policy: { phase_order: ['implement', 'review'] } })).toBe('5 lines');
    expect(contractOf({ current_phase_index: 1, persona_policy: { phase_order: ['implement', 'spec-check'] } })).toBe('5 lines');
    expect(contractOf({ current_phase: ' Review ', current_phase_index: 0, persona_policy: { phase_order: ['implement'] } })).toBe('5 lines');
    expect(contractOf({ progress_log: [{ text: 'switching PHASE=Spec-Check, please wait' }] })).toBe('5 lines');
  });

  it('implement, no phase, a string index and a missing policy give 4 lines', () => {
    expect(contractOf({ current_phase: 'implement', progress_log: [{ text: 'phase=review' }] })).toBe('4 lines');
    expect(contractOf({ current_phase_index: '1', persona_policy: { phase_order: ['implement', 'review'] } })).toBe('4 lines');
    expect(contractOf({ progress_log: [] })).toBe('4 lines');
    expect(contractOf({ progress_log: [{ text: 'task handed off task=1.1 next_phase=review' }] })).toBe('4 lines');
  });

  it('RESULT_PHASE never chooses the prompt: the env is not read for the phase', () => {
    const json = JSON.stringify({ mode: 'execute', teammate_id: 't', task: { id: 1 } });
    expect(prompt(json, 'agent-dock-head', { RESULT_PHASE: 'review' })).toBe(prompt(json, 'agent-dock-head'));
  });
});
