/**
 * Turns one line of codex's `--json` stdout into a typed {@link ThreadEvent}. Never throws:
 * a line that is not a JSON object gives null (the caller counts it), an unknown or shapeless event
 * or item gives the `unknown` variant. Fields codex always sends but left out read as neutral values
 * (0, '', null), the same defaults the run summary has always used.
 */
import type {
  FileUpdateChange,
  JsonObject,
  ThreadEvent,
  ThreadItem,
  TodoItem,
  Usage,
} from './codex_event_types.js';

const asObject = (value: unknown): JsonObject | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
const asString = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const asNumber = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/**
 * Parses one stdout line.
 * @returns the typed event, or null when the line is blank or not a JSON object (text, an array,
 *   broken JSON).
 */
export function parseEventLine(line: string): ThreadEvent | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  const object = asObject(value);
  return object === null ? null : toThreadEvent(object);
}

/** Types an already parsed event object; anything unrecognised becomes `{ type: 'unknown', raw }`. */
export function toThreadEvent(raw: JsonObject): ThreadEvent {
  const unknown: ThreadEvent = { type: 'unknown', raw };
  switch (raw.type) {
    case 'thread.started': {
      const threadId = asString(raw.thread_id);
      return threadId === null ? unknown : { ...raw, type: 'thread.started', thread_id: threadId };
    }
    case 'turn.started':
      return { ...raw, type: 'turn.started' };
    case 'turn.completed':
      return { ...raw, type: 'turn.completed', usage: toUsage(raw.usage) };
    case 'turn.failed': {
      const error = asObject(raw.error);
      return { ...raw, type: 'turn.failed', error: { ...error, message: asString(error?.message) ?? 'turn failed' } };
    }
    case 'error': {
      const message = asString(raw.message);
      return message === null ? unknown : { ...raw, type: 'error', message };
    }
    case 'item.started':
    case 'item.updated':
    case 'item.completed': {
      const item = asObject(raw.item);
      return item === null ? unknown : { ...raw, type: raw.type, item: toThreadItem(item) };
    }
    default:
      return unknown;
  }
}

function toUsage(value: unknown): Usage {
  const usage = asObject(value) ?? {};
  return {
    ...usage,
    input_tokens: asNumber(usage.input_tokens),
    cached_input_tokens: asNumber(usage.cached_input_tokens),
    output_tokens: asNumber(usage.output_tokens),
    reasoning_output_tokens: asNumber(usage.reasoning_output_tokens),
  };
}

/** Types an item object; an unknown type, or a text/message item without its text, is `unknown`. */
export function toThreadItem(raw: JsonObject): ThreadItem {
  const id = asString(raw.id) ?? '';
  const unknown: ThreadItem = { id, type: 'unknown', raw };
  switch (raw.type) {
    case 'agent_message':
    case 'reasoning': {
      const text = asString(raw.text);
      return text === null ? unknown : { ...raw, id, type: raw.type, text };
    }
    case 'error': {
      const message = asString(raw.message);
      return message === null ? unknown : { ...raw, id, type: 'error', message };
    }
    case 'command_execution':
      return {
        ...raw,
        id,
        type: 'command_execution',
        command: asString(raw.command) ?? '',
        aggregated_output: asString(raw.aggregated_output) ?? '',
        exit_code: typeof raw.exit_code === 'number' ? raw.exit_code : null,
        status: asString(raw.status) ?? '',
      };
    case 'file_change':
      return { ...raw, id, type: 'file_change', changes: asArray(raw.changes).flatMap(toFileChange), status: asString(raw.status) ?? '' };
    case 'mcp_tool_call': {
      const error = asObject(raw.error);
      const result = asObject(raw.result);
      return {
        ...raw,
        id,
        type: 'mcp_tool_call',
        server: asString(raw.server) ?? '',
        tool: asString(raw.tool) ?? '',
        arguments: raw.arguments,
        ...(result ? { result: { ...result, content: [...asArray(result.content)], structured_content: result.structured_content } } : {}),
        ...(error ? { error: { ...error, message: asString(error.message) ?? '' } } : {}),
        status: asString(raw.status) ?? '',
      };
    }
    case 'web_search':
      return { ...raw, id, type: 'web_search', query: asString(raw.query) ?? '' };
    case 'todo_list':
      return { ...raw, id, type: 'todo_list', items: asArray(raw.items).flatMap(toTodo) };
    default:
      return unknown;
  }
}

/** A change without a path says nothing and is left out; a missing kind reads as `update`. */
function toFileChange(value: unknown): FileUpdateChange[] {
  const entry = asObject(value);
  const changedPath = asString(entry?.path);
  return changedPath === null ? [] : [{ ...entry, path: changedPath, kind: asString(entry?.kind) ?? 'update' }];
}

function toTodo(value: unknown): TodoItem[] {
  const entry = asObject(value);
  const text = asString(entry?.text);
  return text === null ? [] : [{ ...entry, text, completed: entry?.completed === true }];
}
