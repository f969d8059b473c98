/**
 * Typed codex `--json` events and thread items (codex-cli.md §9.2), named as in OpenAI's
 * `@openai/codex-sdk` so code written against the SDK reads the same here. Two differences, both
 * deliberate:
 * - anything this version does not know (a new event or item type, or a known one without the
 *   field that defines it) arrives as the `unknown` variant with the raw object, never dropped;
 * - codex 0.169 sends `exit_code: null` while a command runs and `reasoning_output_tokens` in the
 *   usage, so the types say so.
 * Known variants keep every extra field codex sent (at run time; the types list the documented ones).
 */

/** A JSON object as parsed from one line of codex's stdout. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** A string union that still accepts values a newer codex may send, without losing autocomplete. */
type Open<T extends string> = T | (string & {});

/** Token usage summed over all model requests of the turn. Fields codex omitted read as 0. */
export type Usage = {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  /** Sent by codex 0.169; absent in older versions. */
  cache_write_input_tokens?: number;
};

/** The fatal error of a failed turn. */
export type ThreadError = { message: string };

/** Final or commentary text of the agent; the last one of a turn is its result. */
export type AgentMessageItem = { id: string; type: 'agent_message'; text: string };

/** The model's reasoning summary. */
export type ReasoningItem = { id: string; type: 'reasoning'; text: string };

/** Status of a command: `in_progress` → `completed` (exit 0) or `failed` (exit ≠ 0). */
export type CommandExecutionStatus = Open<'in_progress' | 'completed' | 'failed'>;

/** A shell command the model ran (`command` is the shell-wrapped string, e.g. `/bin/bash -lc "…"`). */
export type CommandExecutionItem = {
  id: string;
  type: 'command_execution';
  command: string;
  /** stdout and stderr together; may be large, cap it before showing it. */
  aggregated_output: string;
  /** null while the command runs. */
  exit_code: number | null;
  status: CommandExecutionStatus;
};

/** How a file changed. */
export type PatchChangeKind = Open<'add' | 'update' | 'delete'>;

/** One changed path (absolute, as codex sends it). */
export type FileUpdateChange = { path: string; kind: PatchChangeKind };

/** Status of a patch. */
export type PatchApplyStatus = Open<'in_progress' | 'completed' | 'failed'>;

/** Files the model changed with one patch. */
export type FileChangeItem = { id: string; type: 'file_change'; changes: FileUpdateChange[]; status: PatchApplyStatus };

/** Status of an MCP tool call. */
export type McpToolCallStatus = Open<'in_progress' | 'completed' | 'failed'>;

/** A call to a tool of an MCP server codex was configured with. */
export type McpToolCallItem = {
  id: string;
  type: 'mcp_tool_call';
  server: string;
  tool: string;
  arguments: unknown;
  /** Present for a successful call. */
  result?: { content: unknown[]; structured_content: unknown };
  /** Present for a failed call. */
  error?: ThreadError;
  status: McpToolCallStatus;
};

/** A web search the model requested. */
export type WebSearchItem = { id: string; type: 'web_search'; query: string };

/** One entry of the agent's to-do list. */
export type TodoItem = { text: string; completed: boolean };

/** The agent's running to-do list. */
export type TodoListItem = { id: string; type: 'todo_list'; items: TodoItem[] };

/** A non-fatal warning reported as an item (e.g. missing model metadata). Not a failure. */
export type ErrorItem = { id: string; type: 'error'; message: string };

/** An item this version does not know; `raw` is the object exactly as codex sent it. */
export type UnknownThreadItem = { id: string; type: 'unknown'; raw: JsonObject };

/** Every item an item event can carry; switch on `type`. */
export type ThreadItem =
  | AgentMessageItem
  | ReasoningItem
  | CommandExecutionItem
  | FileChangeItem
  | McpToolCallItem
  | WebSearchItem
  | TodoListItem
  | ErrorItem
  | UnknownThreadItem;

/** First event of a run; `thread_id` is the id for `codex exec resume`. */
export type ThreadStartedEvent = { type: 'thread.started'; thread_id: string };

/** The model started working on the prompt. */
export type TurnStartedEvent = { type: 'turn.started' };

/** The turn ended well; `usage` is summed over the turn. */
export type TurnCompletedEvent = { type: 'turn.completed'; usage: Usage };

/** The turn failed; codex exits 1 after it. */
export type TurnFailedEvent = { type: 'turn.failed'; error: ThreadError };

/** An item began (a command starts as `in_progress`). */
export type ItemStartedEvent = { type: 'item.started'; item: ThreadItem };

/** An item changed while running. */
export type ItemUpdatedEvent = { type: 'item.updated'; item: ThreadItem };

/** An item reached its final state. */
export type ItemCompletedEvent = { type: 'item.completed'; item: ThreadItem };

/** A top-level error: also used for retry notices, so not fatal by itself (`turn.failed` is). */
export type ThreadErrorEvent = { type: 'error'; message: string };

/** An event this version does not know; `raw` is the object exactly as codex sent it. */
export type UnknownThreadEvent = { type: 'unknown'; raw: JsonObject };

/** Every event of codex's `--json` stream; switch on `type`. */
export type ThreadEvent =
  | ThreadStartedEvent
  | TurnStartedEvent
  | TurnCompletedEvent
  | TurnFailedEvent
  | ItemStartedEvent
  | ItemUpdatedEvent
  | ItemCompletedEvent
  | ThreadErrorEvent
  | UnknownThreadEvent;

/** The three events that carry an item. */
export type ItemEvent = ItemStartedEvent | ItemUpdatedEvent | ItemCompletedEvent;

/** True for `item.started`, `item.updated` and `item.completed`. */
export function isItemEvent(event: ThreadEvent): event is ItemEvent {
  return event.type === 'item.started' || event.type === 'item.updated' || event.type === 'item.completed';
}
