/**
 * codex-child: run OpenAI's Codex CLI (`codex exec`) as a child agent.
 *
 * The main entry points are {@link runTeammatePayload} (the `codex_wrapper.sh` contract: a
 * teammate payload in, a 4-line result out) and {@link runCodexPrompt} (any prompt, same executor,
 * isolation and verification). Both return a typed outcome and never throw for expected failures.
 */
export { CodexChildError, EXIT, REASON_EXIT } from './domain/errors.js';
export type { CodexChildErrorReason, CodexChildErrorDetails, Containment, StopPhase, VariableExitReason } from './domain/errors.js';
export type { Result, Success, Failure } from './domain/result.js';

// Runs: a teammate payload (the codex_wrapper.sh contract), a ready prompt, or either as a stream.
export { runTeammatePayload, runCodexPrompt } from './infrastructure/adapter/codex/index.js';
export type { CodexRunOptions, CodexRunOutcome, CodexRunSuccess, CodexRunFacts } from './infrastructure/adapter/codex/index.js';
export type { CodexSettingsOptions, SandboxMode, ReasoningEffort, StreamView } from './infrastructure/adapter/codex/index.js';
export type { DisplayTarget, ExecutorPaths as RunLogPaths } from './infrastructure/adapter/codex/index.js';
export type { CompatMode } from './infrastructure/adapter/codex/index.js';
export type { TaskPhase } from './infrastructure/adapter/codex/index.js';
export { runStreamed, type StreamedRun, type StreamedRunInput, type StreamedRunOptions } from './infrastructure/adapter/codex/index.js';

// The result block and the facts of a run.
export { parseResultBlock } from './infrastructure/adapter/codex/index.js';
export type { ParsedResult, ResultBlock, ParseResultOptions, PhaseJudgment } from './infrastructure/adapter/codex/index.js';
export type { CodexUsage, CodexFileChange, CodexCommand } from './infrastructure/adapter/codex/index.js';

// codex's --json events, typed.
export { isItemEvent } from './infrastructure/adapter/codex/index.js';
export type { ThreadEvent, ThreadStartedEvent, TurnStartedEvent, TurnCompletedEvent, TurnFailedEvent, ItemEvent, ItemStartedEvent, ItemUpdatedEvent, ItemCompletedEvent, ThreadErrorEvent, UnknownThreadEvent, ThreadError, Usage, ThreadItem, AgentMessageItem, ReasoningItem, CommandExecutionItem, CommandExecutionStatus, FileChangeItem, FileUpdateChange, PatchChangeKind, PatchApplyStatus, McpToolCallItem, McpToolCallStatus, WebSearchItem, TodoListItem, TodoItem, ErrorItem, UnknownThreadItem, JsonObject } from './infrastructure/adapter/codex/index.js';
export { parseEventLine } from './infrastructure/adapter/codex/index.js';
