/**
 * Typed codex events: every line shape codex 0.169 emits (lines copied from the recorded fixtures),
 * unknown event and item types passed through as the `unknown` variant, malformed lines skipped.
 */
import { describe, expect, it } from 'vitest';
import { parseEventLine, toThreadEvent } from '../../../../../src/infrastructure/adapter/codex/codex_event_parser.js';
import { isItemEvent, type ThreadEvent } from '../../../../../src/infrastructure/adapter/codex/codex_event_types.js';
import { summarizeEventText } from '../../../../../src/infrastructure/adapter/codex/codex_events.js';

// From fixtures/codex-0.169/events.jsonl, events-extended.jsonl and events-errors.txt.
const L = {
  threadStarted: '{"type":"thread.started","thread_id":"01a1fc6d-1f3d-7da2-9983-f4184ab50577"}',
  warning:
    '{"type":"item.completed","item":{"id":"item_0","type":"error","message":"Model metadata for `mock-model` not found. Defaulting to fallback metadata; this can degrade performance and cause issues."}}',
  turnStarted: '{"type":"turn.started"}',
  reasoning: '{"type":"item.completed","item":{"id":"item_1","type":"reasoning","text":"**Creating a.txt**\\n\\nI will create the file with one shell command."}}',
  commentary: '{"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"Creating a.txt now."}}',
  commandStarted:
    '{"type":"item.started","item":{"id":"item_3","type":"command_execution","command":"/bin/bash -c \\"printf \'hello from codex\\\\\\\\n\' > a.txt && cat a.txt\\"","aggregated_output":"","exit_code":null,"status":"in_progress"}}',
  commandFailed:
    '{"type":"item.completed","item":{"id":"item_2","type":"command_execution","command":"/bin/bash -c \\"echo \'checking...\'; echo \'oops\' >&2; exit 3\\"","aggregated_output":"checking...\\noops\\n","exit_code":3,"status":"failed"}}',
  fileChange:
    '{"type":"item.completed","item":{"id":"item_3","type":"file_change","changes":[{"path":"/work/ws/a.txt","kind":"update"},{"path":"/work/ws/b.txt","kind":"add"}],"status":"completed"}}',
  turnCompleted:
    '{"type":"turn.completed","usage":{"input_tokens":2400,"cached_input_tokens":400,"cache_write_input_tokens":0,"output_tokens":68,"reasoning_output_tokens":0}}',
  retryError: '{"type":"error","message":"stream disconnected before completion: The model exploded (mock response.failed)"}',
  turnFailed: '{"type":"turn.failed","error":{"message":"stream disconnected before completion: The model exploded (mock response.failed)"}}',
};

const parse = (line: string): ThreadEvent => {
  const event = parseEventLine(line);
  if (event === null) throw new Error(`not an event: ${line}`);
  return event;
};

describe('parseEventLine on codex 0.169 events', () => {
  it('types thread, turn and error events with their fields', () => {
    expect(parse(L.threadStarted)).toEqual({ type: 'thread.started', thread_id: '01a1fc6d-1f3d-7da2-9983-f4184ab50577' });
    expect(parse(L.turnStarted)).toEqual({ type: 'turn.started' });
    expect(parse(L.turnCompleted)).toEqual({
      type: 'turn.completed',
      usage: { input_tokens: 2400, cached_input_tokens: 400, cache_write_input_tokens: 0, output_tokens: 68, reasoning_output_tokens: 0 },
    });
    expect(parse(L.retryError)).toEqual({ type: 'error', message: 'stream disconnected before completion: The model exploded (mock response.failed)' });
    expect(parse(L.turnFailed)).toEqual({
      type: 'turn.failed',
      error: { message: 'stream disconnected before completion: The model exploded (mock response.failed)' },
    });
  });

  it('types every item kind codex 0.169 emits', () => {
    expect(parse(L.warning)).toMatchObject({ type: 'item.completed', item: { id: 'item_0', type: 'error', message: expect.stringMatching(/^Model metadata/) } });
    expect(parse(L.reasoning)).toMatchObject({ item: { type: 'reasoning', text: expect.stringContaining('Creating a.txt') } });
    expect(parse(L.commentary)).toEqual({ type: 'item.completed', item: { id: 'item_2', type: 'agent_message', text: 'Creating a.txt now.' } });
    expect(parse(L.commandStarted)).toEqual({
      type: 'item.started',
      item: {
        id: 'item_3',
        type: 'command_execution',
        command: `/bin/bash -c "printf 'hello from codex\\\\n' > a.txt && cat a.txt"`,
        aggregated_output: '',
        exit_code: null,
        status: 'in_progress',
      },
    });
    expect(parse(L.commandFailed)).toMatchObject({ item: { exit_code: 3, status: 'failed', aggregated_output: 'checking...\noops\n' } });
    expect(parse(L.fileChange)).toEqual({
      type: 'item.completed',
      item: {
        id: 'item_3',
        type: 'file_change',
        changes: [
          { path: '/work/ws/a.txt', kind: 'update' },
          { path: '/work/ws/b.txt', kind: 'add' },
        ],
        status: 'completed',
      },
    });
  });

  it('narrows on type, so the fields of each variant are typed', () => {
    const commands: Array<[string, number | null]> = [];
    for (const line of [L.commandStarted, L.commandFailed, L.commentary, L.turnStarted]) {
      const event = parse(line);
      if (isItemEvent(event) && event.item.type === 'command_execution') commands.push([event.type, event.item.exit_code]);
    }
    expect(commands).toEqual([
      ['item.started', null],
      ['item.completed', 3],
    ]);
    expect([L.threadStarted, L.turnCompleted, L.retryError].map((line) => isItemEvent(parse(line)))).toEqual([false, false, false]);
  });
});

describe('schema items that codex 0.169 did not emit', () => {
  it('types mcp_tool_call, web_search and todo_list items and item.updated', () => {
    expect(
      parse('{"type":"item.updated","item":{"id":"i1","type":"todo_list","items":[{"text":"write test","completed":true},{"text":"ship","completed":false}]}}'),
    ).toEqual({ type: 'item.updated', item: { id: 'i1', type: 'todo_list', items: [{ text: 'write test', completed: true }, { text: 'ship', completed: false }] } });
    expect(parse('{"type":"item.completed","item":{"id":"i2","type":"web_search","query":"codex json"}}')).toEqual({
      type: 'item.completed',
      item: { id: 'i2', type: 'web_search', query: 'codex json' },
    });
    expect(
      parse('{"type":"item.completed","item":{"id":"i3","type":"mcp_tool_call","server":"docs","tool":"search","arguments":{"q":"x"},"error":{"message":"boom"},"status":"failed"}}'),
    ).toEqual({ type: 'item.completed', item: { id: 'i3', type: 'mcp_tool_call', server: 'docs', tool: 'search', arguments: { q: 'x' }, error: { message: 'boom' }, status: 'failed' } });
  });
});

describe('unknown and malformed input', () => {
  it('passes an unknown event type through as the unknown variant with the raw object', () => {
    const line = '{"type":"item.plan.delta","item_id":"i9","delta":"step 1"}';
    expect(parse(line)).toEqual({ type: 'unknown', raw: { type: 'item.plan.delta', item_id: 'i9', delta: 'step 1' } });
    expect(parse('{"no_type":1}')).toEqual({ type: 'unknown', raw: { no_type: 1 } });
  });

  it('passes an unknown item type through inside its known event, keeping the id', () => {
    expect(parse('{"type":"item.completed","item":{"id":"item_7","type":"plan","text":"1. do it"}}')).toEqual({
      type: 'item.completed',
      item: { id: 'item_7', type: 'unknown', raw: { id: 'item_7', type: 'plan', text: '1. do it' } },
    });
  });

  it('makes a known type without its defining field unknown, instead of inventing it', () => {
    expect(parse('{"type":"thread.started"}')).toMatchObject({ type: 'unknown' });
    expect(parse('{"type":"error","message":42}')).toMatchObject({ type: 'unknown' });
    expect(parse('{"type":"item.completed","item":"text"}')).toMatchObject({ type: 'unknown' });
    expect(parse('{"type":"item.completed","item":{"id":"x","type":"agent_message"}}')).toMatchObject({ item: { type: 'unknown', id: 'x' } });
  });

  it('reads fields codex always sends but left out as neutral values', () => {
    expect(parse('{"type":"turn.completed"}')).toEqual({
      type: 'turn.completed',
      usage: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0 },
    });
    expect(parse('{"type":"turn.failed"}')).toEqual({ type: 'turn.failed', error: { message: 'turn failed' } });
    expect(parse('{"type":"item.completed","item":{"type":"command_execution"}}')).toEqual({
      type: 'item.completed',
      item: { id: '', type: 'command_execution', command: '', aggregated_output: '', exit_code: null, status: '' },
    });
    expect(parse('{"type":"item.completed","item":{"id":"f","type":"file_change","changes":[{"kind":"add"},{"path":"/p"},7]}}')).toMatchObject({
      item: { changes: [{ path: '/p', kind: 'update' }] },
    });
  });

  it('keeps extra fields a newer codex sends on known events', () => {
    expect(parse('{"type":"turn.started","turn_id":"t-1"}')).toEqual({ type: 'turn.started', turn_id: 't-1' });
  });

  it('gives null for blank lines, text, arrays, scalars and broken JSON, and never throws', () => {
    for (const line of ['', '   ', 'Reading additional input from stdin...', '[1,2]', 'null', '42', '{"type":"thread.started",', '{']) {
      expect(parseEventLine(line)).toBeNull();
    }
  });

  it('types an object parsed elsewhere the same way', () => {
    expect(toThreadEvent({ type: 'turn.started' })).toEqual({ type: 'turn.started' });
  });
});

describe('the run summary over typed events', () => {
  it('keeps its facts for the demo turn and ignores unknown events and items', () => {
    const summary = summarizeEventText(
      [L.threadStarted, L.warning, L.turnStarted, L.reasoning, L.commentary, '{"type":"item.completed","item":{"id":"p","type":"plan","text":"x"}}', L.commandFailed, L.fileChange, '{"type":"future.event"}', 'noise', L.turnCompleted].join('\n'),
    );
    expect(summary).toEqual({
      threadId: '01a1fc6d-1f3d-7da2-9983-f4184ab50577',
      usage: { input_tokens: 2400, cached_input_tokens: 400, output_tokens: 68, reasoning_output_tokens: 0 },
      commands: [{ command: `/bin/bash -c "echo 'checking...'; echo 'oops' >&2; exit 3"`, exitCode: 3, status: 'failed' }],
      fileChanges: [
        { path: '/work/ws/a.txt', kind: 'update' },
        { path: '/work/ws/b.txt', kind: 'add' },
      ],
      agentMessages: ['Creating a.txt now.'],
      turnFailed: null,
      errors: [],
      warnings: [expect.stringMatching(/^Model metadata/)],
      jsonEvents: 10,
      otherLines: 1,
    });
  });

  it('takes the fatal message and the retry errors of a failed turn', () => {
    const summary = summarizeEventText([L.threadStarted, L.turnStarted, L.retryError, L.turnFailed].join('\n'));
    expect(summary.turnFailed).toBe('stream disconnected before completion: The model exploded (mock response.failed)');
    expect(summary.errors).toEqual([summary.turnFailed]);
  });
});
