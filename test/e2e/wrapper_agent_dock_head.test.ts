/**
 * bin/codex-wrapper in agent-dock HEAD mode (agent-dock-head-contract.md), end to end: the REAL
 * codex binary against the loopback fake model, hermetic. The payloads are the spec's golden ones
 * with a scenario marker added to the description.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stderrLinesOf } from '../../src/cli/error_lines.js';
import { promptOf, scriptedTurn, type FakeScenarioStep } from '../../src/devtools/fake_model_server.js';
import { checkMode, validatePayload } from '../../src/infrastructure/adapter/codex/payload_validator.js';
import { buildPrompt } from '../../src/infrastructure/adapter/codex/prompt_builder.js';
import { runTeammatePayload } from '../../src/infrastructure/adapter/codex/codex_adapter.js';
import { G1_PAYLOAD, G2_PAYLOAD, G3_PAYLOAD } from '../support/head_goldens.js';
import { REPO_ROOT, runWrapper, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

let world: CodexWorld;

const FIVE_LINES = 'RESULT: completed\nSUMMARY: proposal is consistent\nCHANGED_FILES: (none)\nCHECKS: cat openspec/changes/add-polish/proposal.md\nJUDGMENT: pass';
const G4_MESSAGE = 'Review done.\nRESULT: completed\nSUMMARY:   proposal is consistent  \nCHANGED_FILES: none\nCHECKS: cat openspec/changes/add-polish/proposal.md\nJUDGMENT: Changes-Required';
const G6_MESSAGE = 'RESULT: completed\nSUMMARY: proposal is consistent\nCHANGED_FILES: (none)\nCHECKS: cat openspec/changes/add-polish/proposal.md';
const LONG_COMMAND = `printf '%s\\n' ${Array.from({ length: 6 }, (_, i) => `line-${i}-${'x'.repeat(30)}`).join(' ')}`;

/**
 * A turn whose final agent message is empty: real codex 0.169 then writes an empty
 * --output-last-message file, so the wrapper's fallback reads the earlier agent message.
 */
const withoutLastMessage = (message: string): FakeScenarioStep[] => [{ items: [{ type: 'message', text: message }, { type: 'message', text: '' }] }];

/** A golden payload with a scenario marker appended to its description. */
function withScenario(golden: string, scenario: string): string {
  const payload = JSON.parse(golden) as { task: { description: string } };
  payload.task.description += ` [[scenario:${scenario}]]`;
  return JSON.stringify(payload);
}

function expectedPrompt(payloadJson: string, compat: 'v661' | 'agent-dock-head'): string {
  const payload = validatePayload(Buffer.from(payloadJson));
  if (!payload.ok) throw new Error(payload.error.message);
  const mode = checkMode(payload.value);
  if (!mode.ok) throw new Error(mode.error.message);
  return buildPrompt(payload.value, mode.value, {}, compat);
}

/** The prompt the fake model received for the last request of `scenario`. */
function promptReceived(scenario: string): string {
  const request = world.server.requests.filter((r) => r.endpoint === 'responses' && r.scenario === scenario).at(-1);
  if (!request) throw new Error(`no request for ${scenario}`);
  return promptOf(request);
}

beforeAll(async () => {
  world = await startCodexWorld();
  world.server.registerScenario('five_lines', scriptedTurn({ result: FIVE_LINES }));
  world.server.registerScenario('g4_fallback', withoutLastMessage(G4_MESSAGE));
  world.server.registerScenario('g6_fallback', withoutLastMessage(G6_MESSAGE));
  world.server.registerScenario('g6_bogus', withoutLastMessage('RESULT: completed\nSUMMARY: s\nCHANGED_FILES: a.ts\nCHECKS: c'));
  world.server.registerScenario('plan_text', scriptedTurn({ result: '1) Acceptance criteria\n2) Steps\n3) Files\n4) Checks' }));
  world.server.registerScenario('long_exec', scriptedTurn({ commands: [LONG_COMMAND], result: 'RESULT: completed\nSUMMARY: s\nCHANGED_FILES: (none)\nCHECKS: printf' }));
});
afterAll(() => world.close());

const quiet = () => ({ ...world.env, CODEX_STREAM_LOGS: '0' });

describe('review phase (RESULT_PHASE=review), G2 payload', () => {
  it('sends the 5-line HEAD prompt and prints the 5-line last message verbatim, exit 0', async () => {
    const payload = withScenario(G2_PAYLOAD, 'five_lines');
    const run = await runWrapper(payload, { ...quiet(), RESULT_PHASE: 'review' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(FIVE_LINES);
    const sent = promptReceived('five_lines');
    expect(sent).toBe(expectedPrompt(payload, 'agent-dock-head'));
    expect(sent.endsWith('Final output must be exactly these 5 lines:\nRESULT: completed|blocked\nSUMMARY: <=100 chars\nCHANGED_FILES: comma-separated\nCHECKS: executed check commands\nJUDGMENT: pass|changes_required|blocked')).toBe(true);
  });

  it('the same payload without RESULT_PHASE gets the V661 prompt', async () => {
    const payload = withScenario(G2_PAYLOAD, 'five_lines');
    const run = await runWrapper(payload, quiet());
    expect(run.code).toBe(0);
    expect(promptReceived('five_lines')).toBe(expectedPrompt(payload, 'v661'));
    expect(promptReceived('five_lines')).not.toContain('JUDGMENT');
  });
});

describe('decision-phase fallback (codex writes an empty last message)', () => {
  it('G4: with JUDGMENT → the normalised 5-line block, exit 0', async () => {
    const run = await runWrapper(withScenario(G2_PAYLOAD, 'g4_fallback'), { ...quiet(), RESULT_PHASE: 'review' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('RESULT: completed\nSUMMARY: proposal is consistent\nCHANGED_FILES: (none)\nCHECKS: cat openspec/changes/add-polish/proposal.md\nJUDGMENT: changes_required');
  });

  it('G6: without JUDGMENT → result block not found, codex returned empty output, exit 3, stdout empty', async () => {
    const run = await runWrapper(withScenario(G2_PAYLOAD, 'g6_fallback'), { ...world.env, RESULT_PHASE: 'review' });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    // The live view comes first; the report is the last thing on stderr.
    expect(run.stderr).toMatch(/\nresult block not found\ncodex returned empty output\nlast stream lines:\n/);
  });

  it('G6: RESULT_PHASE=bogus → missing or invalid RESULT_PHASE, exit 3', async () => {
    const run = await runWrapper(withScenario(G3_PAYLOAD, 'g6_bogus'), { ...quiet(), RESULT_PHASE: 'bogus' });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').slice(0, 2)).toEqual(['missing or invalid RESULT_PHASE', 'codex returned empty output']);
  });

  it('CODEX_WRAPPER_COMPAT=agent-dock-head without RESULT_PHASE: the fallback never yields a result (§6.1)', async () => {
    const run = await runWrapper(withScenario(G3_PAYLOAD, 'g6_bogus'), { ...quiet(), CODEX_WRAPPER_COMPAT: 'agent-dock-head' });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').slice(0, 2)).toEqual(['missing or invalid RESULT_PHASE', 'codex returned empty output']);
    expect(promptReceived('g6_bogus')).toBe(expectedPrompt(withScenario(G3_PAYLOAD, 'g6_bogus'), 'agent-dock-head'));
  });

  it('G6: a non-empty last message is printed verbatim whatever RESULT_PHASE says (§5)', async () => {
    const run = await runWrapper(withScenario(G3_PAYLOAD, 'five_lines'), { ...quiet(), RESULT_PHASE: 'bogus' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(FIVE_LINES);
  });

  it('V661 mode keeps the V661 fallback: the same transcript rebuilds 4 lines key by key', async () => {
    const run = await runWrapper(withScenario(G2_PAYLOAD, 'g6_fallback'), quiet());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(G6_MESSAGE);
  });
});

describe('plan mode', () => {
  it('CODEX_WRAPPER_COMPAT=agent-dock-head gives the G1 plan prompt; the output is verbatim', async () => {
    const payload = withScenario(G1_PAYLOAD, 'plan_text');
    const run = await runWrapper(payload, { ...quiet(), CODEX_WRAPPER_COMPAT: 'agent-dock-head' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('1) Acceptance criteria\n2) Steps\n3) Files\n4) Checks');
    expect(promptReceived('plan_text')).toBe(expectedPrompt(payload, 'agent-dock-head'));
    expect(promptReceived('plan_text')).toContain('\n- For `deno test`, use `--allow-read --allow-write --allow-env --allow-run` by default\n');
  });

  it('without the opt-in a plan call gets the V661 prompt; a near-miss value warns once and is ignored', async () => {
    const payload = withScenario(G1_PAYLOAD, 'plan_text');
    const run = await runWrapper(payload, { ...quiet(), CODEX_WRAPPER_COMPAT: 'agent-dock-HEAD' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('[codex_wrapper] warning: CODEX_WRAPPER_COMPAT="agent-dock-HEAD" is not recognised (only "agent-dock-head"); ignored\n');
    expect(promptReceived('plan_text')).toBe(expectedPrompt(payload, 'v661'));
  });
});

describe('all_compact in HEAD mode (§7, the executor side)', () => {
  /** An awk that records its arguments, then runs the real awk. */
  function recordingAwk(): { awk: string; argsLog: string } {
    const argsLog = path.join(world.home.tmpDir, 'awk_args.log');
    const awk = path.join(world.home.tmpDir, 'recording_awk.sh');
    writeFileSync(awk, `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> ${JSON.stringify(argsLog)}\nexec awk "$@"\n`);
    chmodSync(awk, 0o755);
    writeFileSync(argsLog, '');
    return { awk, argsLog };
  }
  const taggedViewArgs = (argsLog: string) => readFileSync(argsLog, 'utf8').split('\n').filter((line) => line.includes('mode=tagged'));

  it('hands CODEX_STREAM_EXEC_KEEP_LINES to the view and never truncates lines', async () => {
    const { awk, argsLog } = recordingAwk();
    const env = { ...world.env, CODEX_EXECUTOR_AWK: awk, CODEX_STREAM_VIEW: 'all_compact', CODEX_STREAM_EXEC_MAX_CHARS: '20', CODEX_STREAM_EXEC_KEEP_LINES: '007' };
    const run = await runWrapper(withScenario(G3_PAYLOAD, 'long_exec'), { ...env, RESULT_PHASE: 'implement' });
    expect(run.code).toBe(0);
    const [args] = taggedViewArgs(argsLog);
    expect(args).toMatch(/-v keep_lines=7( |$)/);
    expect(args).toContain('-v max=0 ');
    expect(run.stderr).toContain(`line-0-${'x'.repeat(30)}`); // longer than 20: not cut
  });

  it('an unparsable KEEP_LINES is `none`; V661 mode passes no fold and keeps its truncation', async () => {
    const { awk, argsLog } = recordingAwk();
    const env = { ...world.env, CODEX_EXECUTOR_AWK: awk, CODEX_STREAM_VIEW: 'all_compact', CODEX_STREAM_EXEC_MAX_CHARS: '20', CODEX_STREAM_EXEC_KEEP_LINES: '2x' };
    const head = await runWrapper(withScenario(G3_PAYLOAD, 'long_exec'), { ...env, RESULT_PHASE: 'review' });
    expect(head.code).toBe(0);
    expect(taggedViewArgs(argsLog)[0]).toMatch(/-v keep_lines=none( |$)/);
    writeFileSync(argsLog, '');
    const v661 = await runWrapper(withScenario(G3_PAYLOAD, 'long_exec'), { ...env, CODEX_EXECUTOR_KEEP_LINES: '5' });
    expect(v661.code).toBe(0);
    const [args] = taggedViewArgs(argsLog);
    expect(args).toMatch(/-v keep_lines=( |$)/);
    expect(args).toContain('-v max=20 ');
    expect(v661.stderr).not.toContain(`line-0-${'x'.repeat(30)}`);
  });
});

describe('library API: typed compat and resultPhase options', () => {
  it('compat + resultPhase without any env variable: HEAD prompt, fallback, judgment in the parsed result', async () => {
    const outcome = await runTeammatePayload(withScenario(G2_PAYLOAD, 'g4_fallback'), { env: quiet(), display: 'ignore', compat: 'agent-dock-head', resultPhase: 'review' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.fromFallback).toBe(true);
    expect(outcome.value.result).toEqual({
      valid: true,
      issues: [],
      block: { status: 'completed', summary: 'proposal is consistent', changedFiles: [], checks: 'cat openspec/changes/add-polish/proposal.md', judgment: 'changes_required' },
    });
    expect(promptReceived('g4_fallback')).toContain('Final output must be exactly these 5 lines:');
  });

  it("compat: 'v661' wins over RESULT_PHASE in the env", async () => {
    const outcome = await runTeammatePayload(withScenario(G2_PAYLOAD, 'g6_fallback'), { env: { ...quiet(), RESULT_PHASE: 'review' }, display: 'ignore', compat: 'v661' });
    expect(outcome.ok ? outcome.value.output : outcome.error.message).toBe(G6_MESSAGE);
    expect(promptReceived('g6_fallback')).not.toContain('JUDGMENT');
  });

  it('a decision-phase failure is the typed empty_output error with the reason first', async () => {
    const outcome = await runTeammatePayload(withScenario(G2_PAYLOAD, 'g6_fallback'), { env: quiet(), display: 'ignore', resultPhase: 'review' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.reason).toBe('empty_output');
    expect(outcome.error.exitCode).toBe(3);
    expect(stderrLinesOf(outcome.error).slice(0, 2)).toEqual(['result block not found', 'codex returned empty output']);
  });

  it('with no JSON event at all the stream log is the source, read as one text', async () => {
    // The recording fake prints plain text instead of events and leaves the last message empty.
    const plain = path.join(world.home.tmpDir, 'plain_stdout.txt');
    writeFileSync(plain, 'Working.\nRESULT: completed\nSUMMARY: checked\nCHANGED_FILES: -\nCHECKS: cat a\nJUDGMENT: Blocked\n');
    const env = { ...quiet(), CODEX_BIN: path.join(REPO_ROOT, 'test/support/fake_codex.sh'), FAKE_CODEX_JSONL: plain, FAKE_CODEX_LAST_MESSAGE: '' };
    const outcome = await runTeammatePayload(G2_PAYLOAD, { env, display: 'ignore', resultPhase: 'review' });
    expect(outcome.ok ? outcome.value.output : stderrLinesOf(outcome.error)).toBe('RESULT: completed\nSUMMARY: checked\nCHANGED_FILES: (none)\nCHECKS: cat a\nJUDGMENT: blocked');
  });
});
