/**
 * codex-child: run OpenAI's Codex CLI (`codex exec`) as a child agent.
 *
 * The main entry points are {@link runTeammatePayload} (the `codex_wrapper.sh` contract: a
 * teammate payload in, a 4-line result out) and {@link runCodexPrompt} (any prompt, same executor,
 * isolation and verification). Both return a typed outcome and never throw for expected failures.
 */
export { CodexChildError, childError, EXIT, REASON_EXIT } from './domain/errors.js';
export type { CodexChildErrorReason, CodexChildErrorInit, CodexChildErrorDetails, StopPhase, VariableExitReason } from './domain/errors.js';
export type { Result, Success, Failure } from './domain/result.js';
export { runTeammatePayload, runCodexPrompt } from './infrastructure/adapter/codex/codex_adapter.js';
export type { CodexRunOptions, CodexRunOutcome, CodexRunSuccess, CodexRunFacts } from './infrastructure/adapter/codex/codex_adapter.js';
export type { CodexSettingsOptions, SandboxMode, ReasoningEffort, StreamView } from './infrastructure/adapter/codex/executor_settings.js';
export type { DisplayTarget, ExecutorPaths } from './infrastructure/adapter/codex/executor_runner.js';
export { parseResultBlock, fallbackResultText, RESULT_PLACEHOLDERS } from './infrastructure/adapter/codex/result_parser.js';
export type { ParsedResult, ResultBlock, ParseResultOptions, PhaseJudgment } from './infrastructure/adapter/codex/result_parser.js';
export { decideCompat } from './infrastructure/adapter/codex/compat_mode.js';
export type { CompatMode, CompatDecision } from './infrastructure/adapter/codex/compat_mode.js';
export type { TaskPhase } from './infrastructure/adapter/codex/task_phase.js';
export { summarizeEventFile, summarizeEventText, tokensUsed } from './infrastructure/adapter/codex/codex_events.js';
export type { CodexEventSummary, CodexUsage, CodexFileChange, CodexCommand } from './infrastructure/adapter/codex/codex_events.js';
export { runStreamed, type StreamedRun, type StreamedRunInput, type StreamedRunOptions } from './infrastructure/adapter/codex/run_streamed.js';
export { isItemEvent } from './infrastructure/adapter/codex/codex_event_types.js';
export type { ThreadEvent, ThreadStartedEvent, TurnStartedEvent, TurnCompletedEvent, TurnFailedEvent, ItemEvent, ItemStartedEvent, ItemUpdatedEvent, ItemCompletedEvent, ThreadErrorEvent, UnknownThreadEvent, ThreadError, Usage, ThreadItem, AgentMessageItem, ReasoningItem, CommandExecutionItem, CommandExecutionStatus, FileChangeItem, FileUpdateChange, PatchChangeKind, PatchApplyStatus, McpToolCallItem, McpToolCallStatus, WebSearchItem, TodoListItem, TodoItem, ErrorItem, UnknownThreadItem, JsonObject } from './infrastructure/adapter/codex/codex_event_types.js';
export { parseEventLine } from './infrastructure/adapter/codex/codex_event_parser.js';
export { validatePayload, checkMode, MAX_PAYLOAD_BYTES } from './infrastructure/adapter/codex/payload_validator.js';
export type { TeammatePayload, PromptMode } from './infrastructure/adapter/codex/payload_validator.js';
export { buildPrompt } from './infrastructure/adapter/codex/prompt_builder.js';
export { checkDotenvReferences } from './infrastructure/adapter/codex/deny_checker.js';
export { takeDotenvSnapshot, diffDotenvSnapshots } from './infrastructure/adapter/codex/env_snapshot.js';
export { prepareIsolatedRun } from './infrastructure/adapter/codex/isolation/isolated_run.js';
export type { IsolatedRun, IsolationOptions } from './infrastructure/adapter/codex/isolation/isolated_run.js';
export { createCodexChildServer } from './mcp/server.js';
export type { CodexChildServer, ServerDeps } from './mcp/server.js';
export { loadServerConfig } from './mcp/config.js';
