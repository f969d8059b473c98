/**
 * Tool names, zod schemas (the JSON Schemas `tools/list` shows) and the argument checks with the
 * contract's exact refusal texts (§3.2, §4).
 *
 * The SDK never validates arguments here: the server uses the SDK's low-level `Server` with its
 * own `tools/call` handler (src/mcp/server.ts), and the handlers check arguments with the
 * functions below, so refusals stay one line (`variant_dir is required`) instead of the SDK's
 * `MCP error -32602: Input validation error: …`. The schemas use `zod/v4` (shipped by zod 3.25
 * and by zod 4) and zod's own public `toJSONSchema`, so a zod upgrade changes neither.
 */
import { z } from 'zod/v4';
import { err, ok, type Result } from '../domain/result.js';

/** Tool names (fixed by the contract). */
export const TOOL_NAMES = {
  runArtist: 'art_loop.run_codex_artist',
  readTail: 'art_loop.read_text_tail',
  runTask: 'codex.run_task',
} as const;

/** Default and upper bound of `timeout_s` (7 days; far above any host's tool timeout). */
export const DEFAULT_TIMEOUT_S = 900;
export const MAX_TIMEOUT_S = 7 * 24 * 3600;
/** Default `max_chars` of read_text_tail. */
export const DEFAULT_TAIL_CHARS = 4000;

/** The JSON Schema of a zod schema as `tools/list` shows it (`io`: input or output view). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const timeoutField = z
  .number()
  .int()
  .min(1)
  .max(MAX_TIMEOUT_S)
  .describe('Seconds the codex child may run once it has started (queue time not included); then its whole process group is killed.');

/** Input of `art_loop.run_codex_artist`. */
export const runArtistInput = z.object({
  variant_dir: z
    .string()
    .min(1)
    .describe('Variant directory `<run_id>/iter_XX/vYY` under the runs root; relative to the repo root or absolute. Must hold artist_context.json and creative_brief.json.'),
  timeout_s: timeoutField.default(DEFAULT_TIMEOUT_S).describe('Seconds the codex child may run once it has started (queue time not included); then its whole process group is killed. Default 900.'),
});

/** Input of `art_loop.read_text_tail`. */
export const readTailInput = z.object({
  path: z.string().min(1).describe('A file under the runs root; relative to the repo root or absolute. A missing file gives "".'),
  max_chars: z
    .number()
    .int()
    .min(1)
    .default(DEFAULT_TAIL_CHARS)
    .describe('How many characters (Unicode code points) of the end of the file to return. Default 4000, at most 200000.'),
});

/** Input of `codex.run_task`. */
export const runTaskInput = z.object({
  workspace_dir: z.string().min(1).describe('Working directory of the child (codex -C), under CODEX_CHILD_ROOT; relative to the repo root or absolute.'),
  prompt: z.string().min(1).describe('The exact prompt given to `codex exec` (on stdin).'),
  timeout_s: timeoutField,
  sandbox: z.enum(['read-only', 'workspace-write', 'danger-full-access']).optional().describe('codex -s; default CODEX_CHILD_SANDBOX (workspace-write).'),
  model: z.string().min(1).optional().describe('codex -m; default: the configured model.'),
});

const usageSchema = z.object({
  input_tokens: z.number(),
  cached_input_tokens: z.number(),
  output_tokens: z.number(),
  reasoning_output_tokens: z.number(),
});

const commonResult = {
  status: z.enum(['success', 'failed']),
  codex_stdout_path: z.string(),
  codex_stderr_path: z.string(),
  codex_last_message_path: z.string(),
  elapsed_ms: z.number().int(),
  server_queue_ms: z.number().int().nullable(),
  timed_out: z.boolean(),
  cancelled: z.boolean(),
  exit_code: z.number().int().nullable(),
  error_summary: z.string(),
  reason: z
    .string()
    .nullable()
    .describe(
      'null on success; else why it failed: a CodexChildError reason of the library (timed_out, cancelled, interrupted, codex_failed, empty_output, auth_missing, codex_not_found, dotenv_modified, …) or one of missing_inputs, artifact_failed, internal_error.',
    ),
  usage: usageSchema.optional(),
  thread_id: z.string().optional(),
};

/** Result of `art_loop.run_codex_artist` (contract §3.10). Paths are relative to the repo root. */
export const runArtistOutput = z.object({
  ...commonResult,
  variant_dir: z.string(),
  artifact_json_path: z.string(),
  stdout_path: z.string(),
  stderr_path: z.string(),
  artifact_written_by_server: z.boolean(),
});

/** Result of `codex.run_task`. Paths are absolute. */
export const runTaskOutput = z.object({
  ...commonResult,
  workspace_dir: z.string(),
  run_dir: z.string(),
  final_message: z.string(),
  final_message_truncated: z.boolean(),
});

/** Structured result of `art_loop.run_codex_artist`. */
export type RunArtistResult = z.output<typeof runArtistOutput>;
/** Structured result of `codex.run_task`. */
export type RunTaskResult = z.output<typeof runTaskOutput>;

/** An argument check: the value, or the one-line refusal. */
export type ArgCheck<T> = Result<T, string>;

type Args = Record<string, unknown>;
const asArgs = (raw: unknown): Args => (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Args) : {});

function requiredString(args: Args, field: string): ArgCheck<string> {
  const value = args[field];
  if (typeof value !== 'string' || value.trim() === '') return err(`${field} is required`);
  return ok(value);
}

function positiveInteger(args: Args, field: string, fallback: number | undefined, max?: number): ArgCheck<number> {
  const value = args[field];
  if (value === undefined && fallback !== undefined) return ok(fallback);
  // typeof excludes booleans (Python's bool-is-int accepted `true`); isInteger excludes 1.5.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    return err(value === undefined ? `${field} is required` : `${field} must be a positive integer`);
  }
  if (max !== undefined && value > max) return err(`${field} must be a positive integer (at most ${max})`);
  return ok(value);
}

/** Checked arguments of `art_loop.run_codex_artist`. */
export interface RunArtistArgs {
  variantDir: string;
  timeoutS: number;
}

/** Checks `{variant_dir, timeout_s}` with the contract's messages. */
export function checkRunArtistArgs(raw: unknown): ArgCheck<RunArtistArgs> {
  const args = asArgs(raw);
  const dir = requiredString(args, 'variant_dir');
  if (!dir.ok) return dir;
  const timeout = positiveInteger(args, 'timeout_s', DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S);
  if (!timeout.ok) return timeout;
  return ok({ variantDir: dir.value, timeoutS: timeout.value });
}

/** Checked arguments of `art_loop.read_text_tail`. */
export interface ReadTailArgs {
  path: string;
  maxChars: number;
}

/** Checks `{path, max_chars}`. */
export function checkReadTailArgs(raw: unknown): ArgCheck<ReadTailArgs> {
  const args = asArgs(raw);
  const file = requiredString(args, 'path');
  if (!file.ok) return file;
  const max = positiveInteger(args, 'max_chars', DEFAULT_TAIL_CHARS);
  if (!max.ok) return max;
  return ok({ path: file.value, maxChars: max.value });
}

/** Checked arguments of `codex.run_task`. */
export interface RunTaskArgs {
  workspaceDir: string;
  prompt: string;
  timeoutS: number;
  sandbox: 'read-only' | 'workspace-write' | 'danger-full-access' | undefined;
  model: string | undefined;
}

/** Checks `{workspace_dir, prompt, timeout_s, sandbox?, model?}`. */
export function checkRunTaskArgs(raw: unknown): ArgCheck<RunTaskArgs> {
  const args = asArgs(raw);
  const dir = requiredString(args, 'workspace_dir');
  if (!dir.ok) return dir;
  const prompt = requiredString(args, 'prompt');
  if (!prompt.ok) return prompt;
  const timeout = positiveInteger(args, 'timeout_s', undefined, MAX_TIMEOUT_S);
  if (!timeout.ok) return timeout;
  const sandbox = args.sandbox;
  if (sandbox !== undefined && sandbox !== 'read-only' && sandbox !== 'workspace-write' && sandbox !== 'danger-full-access') {
    return err('sandbox must be one of read-only, workspace-write, danger-full-access');
  }
  const model = args.model;
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '' || /\s/.test(model))) {
    return err('model must be a non-empty string without blanks');
  }
  return ok({ workspaceDir: dir.value, prompt: prompt.value, timeoutS: timeout.value, sandbox, model });
}
