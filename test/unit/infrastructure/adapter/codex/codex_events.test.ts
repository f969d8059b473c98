import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeEventFile, summarizeEventText, tokensUsed } from '../../../../../src/infrastructure/adapter/codex/codex_events.js';
import { FIXTURES_DIR } from '../../../../support/fixtures.js';

const FIXTURES = FIXTURES_DIR;

describe('codex event summary', () => {
  it('reads thread id, usage, commands, agent messages and the non-fatal metadata warning (events.jsonl)', async () => {
    const summary = await summarizeEventFile(path.join(FIXTURES, 'events.jsonl'));
    expect(summary.threadId).toBe('01a1fc6d-1f3d-7da2-9983-f4184ab50577');
    expect(summary.usage).toEqual({ input_tokens: 2400, cached_input_tokens: 400, output_tokens: 68, reasoning_output_tokens: 0 });
    expect(tokensUsed(summary.usage!)).toBe(2068);
    expect(summary.commands).toEqual([{ command: `/bin/bash -c "printf 'hello from codex\\\\n' > a.txt && cat a.txt"`, exitCode: 0, status: 'completed' }]);
    expect(summary.agentMessages).toEqual(['Creating a.txt now.', 'RESULT: completed\nSUMMARY: created a.txt with one line of text\nCHANGED_FILES: a.txt\nCHECKS: npm test']);
    expect(summary.warnings).toHaveLength(1);
    expect(summary.turnFailed).toBeNull();
    expect(summary.jsonEvents).toBe(9);
  });

  it('reads file changes and failed commands (events-extended.jsonl)', async () => {
    const summary = await summarizeEventFile(path.join(FIXTURES, 'events-extended.jsonl'));
    expect(summary.fileChanges).toEqual([
      { path: '/work/ws/a.txt', kind: 'update' },
      { path: '/work/ws/b.txt', kind: 'add' },
    ]);
    expect(summary.commands.map((c) => [c.exitCode, c.status])).toEqual([
      [0, 'completed'],
      [3, 'failed'],
    ]);
  });

  it('takes the turn.failed message of every failure case (events-errors.txt)', () => {
    const cases = readFileSync(path.join(FIXTURES, 'events-errors.txt'), 'utf8').split(/^### .*$/m).slice(1);
    expect(cases).toHaveLength(9);
    for (const text of cases) {
      const summary = summarizeEventText(text);
      expect(summary.turnFailed).toBeTruthy();
      expect(summary.errors.at(-1)).toBe(summary.turnFailed);
    }
  });

  it('counts non-JSON lines instead of failing, and ignores arrays and broken JSON', () => {
    const summary = summarizeEventText('Reading additional input from stdin...\n[1,2]\n{"type":"thread.started",\n{"type":"thread.started","thread_id":"t"}\n');
    expect(summary.otherLines).toBe(3);
    expect(summary.jsonEvents).toBe(1);
    expect(summary.threadId).toBe('t');
  });

  it('gives an empty summary for a missing file', async () => {
    const summary = await summarizeEventFile('/nonexistent/codex.jsonl');
    expect(summary.jsonEvents).toBe(0);
  });
});
