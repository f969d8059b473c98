/**
 * The library API end to end (real codex, fake model): the typed success value, live events,
 * kept logs, CHANGED_FILES verification and the fallback when codex wrote no final message.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurn } from '../../src/devtools/fake_model_server.js';
import { runCodexPrompt, runTeammatePayload } from '../../src/index.js';
import { executePayload, REPO_ROOT, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';
import { fixturePath } from '../support/fixtures.js';

let world: CodexWorld;
beforeAll(async () => {
  world = await startCodexWorld();
  world.server.registerScenario(
    'claims',
    scriptedTurn({ commands: ['echo hi > made.txt'], result: 'RESULT: completed\nSUMMARY: s\nCHANGED_FILES: made.txt, ghost.txt\nCHECKS: none' }),
  );
});
afterAll(() => world.close());

describe('runTeammatePayload', () => {
  it('returns thread id, usage, commands, the parsed block, live events and kept logs', async () => {
    const events: string[] = [];
    const logDir = path.join(world.home.root, 'lib-logs');
    mkdirSync(logDir);
    const outcome = await runTeammatePayload(executePayload('demo'), {
      env: world.env,
      display: 'ignore',
      logDir,
      onEvent: (event) => events.push(String(event.type)),
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const value = outcome.value;
    expect(value.threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(value.usage).toEqual({ input_tokens: 2400, cached_input_tokens: 400, output_tokens: 68, reasoning_output_tokens: 0 });
    expect(value.commands).toHaveLength(1);
    expect(value.result).toEqual({
      valid: true,
      issues: [],
      block: { status: 'completed', summary: 'created a.txt with one line of text', changedFiles: ['a.txt'], checks: 'npm test' },
    });
    expect(value.warnings).toEqual([]);
    expect(value.fromFallback).toBe(false);
    expect(events[0]).toBe('thread.started');
    expect(events).toContain('item.started');
    expect(events.at(-1)).toBe('turn.completed');
    expect(readFileSync(path.join(logDir, 'codex_stdout.jsonl'), 'utf8')).toContain(value.threadId as string);
    expect(readFileSync(path.join(logDir, 'stream.log'), 'utf8')).toContain('tokens used');
  });

  it('warns for each CHANGED_FILES entry that nothing backs', async () => {
    const outcome = await runTeammatePayload(executePayload('claims'), { env: world.env, display: 'ignore' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(existsSync(path.join(world.home.workDir, 'made.txt'))).toBe(true);
    expect(outcome.value.warnings).toEqual(['CHANGED_FILES lists "ghost.txt", but no file_change event reports it and it does not exist']);
  });

  it('rebuilds the block from the agent messages when codex wrote an empty last-message file', async () => {
    // Real codex 0.169 always writes its last non-empty agent message, so this failure shape comes
    // from the recording fake, replaying real events with an empty -o file.
    const outcome = await runTeammatePayload(executePayload('demo'), {
      env: {
        ...world.env,
        CODEX_BIN: path.join(REPO_ROOT, 'test/support/fake_codex.sh'),
        FAKE_CODEX_JSONL: fixturePath('events.jsonl'),
        FAKE_CODEX_LAST_MESSAGE: '',
      },
      display: 'ignore',
    });
    expect(outcome.ok ? outcome.value.output : outcome.error.message).toBe(
      'RESULT: completed\nSUMMARY: created a.txt with one line of text\nCHANGED_FILES: a.txt\nCHECKS: npm test',
    );
    if (outcome.ok) expect(outcome.value.fromFallback).toBe(true);
  });
});

describe('runCodexPrompt', () => {
  it('runs a ready prompt through the same executor', async () => {
    const outcome = await runCodexPrompt('Just do the demo. [[scenario:demo]]', { env: world.env, display: 'ignore' });
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.value.result.valid).toBe(true);
    const request = world.server.requests.filter((r) => r.endpoint === 'responses').at(-1);
    expect(JSON.stringify(request?.body)).toContain('Just do the demo.');
  });
});
