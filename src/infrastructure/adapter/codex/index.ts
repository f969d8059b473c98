/**
 * The codex adapter as its front doors see it: everything `bin/codex-wrapper` (src/cli/), the MCP
 * server (src/mcp/) and the library entry (src/index.ts) use of the adapter comes through here, so
 * the files behind it can be rearranged without touching a front door
 * (test/unit/repository/rooms.test.ts keeps it so).
 */
export { runTeammatePayload, runCodexPrompt } from './codex_adapter.js';
export type { CodexRunOptions, CodexRunOutcome, CodexRunSuccess, CodexRunFacts } from './codex_adapter.js';
export { MAX_PAYLOAD_BYTES } from './payload_validator.js';
export { REASONING_EFFORTS, SANDBOX_MODES, executorSettingsFromEnv } from './executor_settings.js';
export type { CodexSettingsOptions, SandboxMode, ReasoningEffort, StreamView } from './executor_settings.js';
export type { DisplayTarget, ExecutorPaths } from './executor_runner.js';
export { decideCompat } from './compat_mode.js';
export type { CompatMode } from './compat_mode.js';
export type { TaskPhase } from './task_phase.js';
export { runStreamed, type StreamedRun, type StreamedRunInput, type StreamedRunOptions } from './run_streamed.js';
export { parseResultBlock } from './result_parser.js';
export type { ParsedResult, ResultBlock, ParseResultOptions, PhaseJudgment } from './result_parser.js';
export type { CodexUsage, CodexFileChange, CodexCommand } from './codex_events.js';
export { isItemEvent } from './codex_event_types.js';
export type * from './codex_event_types.js';
export { parseEventLine } from './codex_event_parser.js';
export { resolveCodexBin } from './codex_binary.js';
export { parentCodexHome } from './isolation/credentials.js';
export { sharedConfigNames } from './isolation/link_config.js';
// How a stopped run's processes were ended, in words (the front doors quote it).
export { describeTeardown } from '../../process/containment.js';
