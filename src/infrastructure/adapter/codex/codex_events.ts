/**
 * Reads codex's `--json` event stream (JSONL on its stdout, codex-cli.md §9.2) into the facts the
 * library reports: thread id, token usage, commands, file changes, agent messages and the fatal
 * `turn.failed` message. Lines that are not JSON objects are counted, never fatal: a non-codex
 * binary or a codex bug must not crash the caller.
 */
import { followLines } from './event_follower.js';
import { parseEventLine } from './codex_event_parser.js';
import type { ThreadEvent, ThreadItem } from './codex_event_types.js';

/** Token usage summed over the turn, as codex reports it in `turn.completed`. */
export interface CodexUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
}

/** One changed path from a `file_change` item (paths are absolute, as codex sends them). */
export interface CodexFileChange {
  path: string;
  kind: 'add' | 'update' | 'delete' | string;
}

/** One finished command the model ran. */
export interface CodexCommand {
  command: string;
  exitCode: number | null;
  status: string;
}

/** Everything the library keeps from one run's events. */
export interface CodexEventSummary {
  threadId: string | null;
  usage: CodexUsage | null;
  commands: CodexCommand[];
  fileChanges: CodexFileChange[];
  agentMessages: string[];
  /** Message of `turn.failed`, the fatal cause of a failed turn. */
  turnFailed: string | null;
  /** Top-level `error` events (retry notices and the error preceding `turn.failed`). */
  errors: string[];
  /** Non-fatal `item.type == "error"` warnings. */
  warnings: string[];
  /** Number of lines that parsed as JSON objects. Zero means "no JSON event at all" (§10.3). */
  jsonEvents: number;
  /** Number of non-empty lines that were not JSON objects. */
  otherLines: number;
}

/** An empty summary, the starting point of {@link EventAccumulator}. */
export function emptyEventSummary(): CodexEventSummary {
  return {
    threadId: null,
    usage: null,
    commands: [],
    fileChanges: [],
    agentMessages: [],
    turnFailed: null,
    errors: [],
    warnings: [],
    jsonEvents: 0,
    otherLines: 0,
  };
}

/** Folds event lines one at a time; used for files and for live progress alike. */
export class EventAccumulator {
  readonly summary: CodexEventSummary = emptyEventSummary();

  /**
   * Adds one line of codex stdout.
   * @returns the typed event, or null when the line was not a JSON object.
   */
  push(line: string): ThreadEvent | null {
    if (line.trim() === '') return null;
    const event = parseEventLine(line);
    if (event === null) {
      this.summary.otherLines += 1;
      return null;
    }
    this.summary.jsonEvents += 1;
    this.apply(event);
    return event;
  }

  private apply(event: ThreadEvent): void {
    const s = this.summary;
    switch (event.type) {
      case 'thread.started':
        s.threadId = event.thread_id;
        break;
      case 'turn.completed': {
        const { input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens } = event.usage;
        s.usage = { input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens };
        break;
      }
      case 'turn.failed':
        s.turnFailed = event.error.message;
        break;
      case 'error':
        s.errors.push(event.message);
        break;
      case 'item.completed':
        this.applyItem(event.item);
        break;
      default:
        break;
    }
  }

  private applyItem(item: ThreadItem): void {
    const s = this.summary;
    switch (item.type) {
      case 'agent_message':
        s.agentMessages.push(item.text);
        break;
      case 'command_execution':
        s.commands.push({ command: item.command, exitCode: item.exit_code, status: item.status });
        break;
      case 'file_change':
        for (const change of item.changes) s.fileChanges.push({ path: change.path, kind: change.kind });
        break;
      case 'error':
        s.warnings.push(item.message);
        break;
      default:
        break;
    }
  }
}

/** Summarises a JSONL text held in memory (tests, small streams). */
export function summarizeEventText(text: string): CodexEventSummary {
  const accumulator = new EventAccumulator();
  for (const line of text.split('\n')) accumulator.push(line);
  return accumulator.summary;
}

/**
 * Summarises a JSONL file line by line, so a huge stream (a command that printed 50 MB) is never
 * held in memory whole: the follower's chunked reader, run once to the end (no readline, which
 * would be one more module to load per wrapper run). A missing file gives an empty summary.
 */
export async function summarizeEventFile(file: string): Promise<CodexEventSummary> {
  const accumulator = new EventAccumulator();
  await followLines(file, (line) => accumulator.push(line)).stop();
  return accumulator.summary;
}

/** codex's own "tokens used" figure: input − cached + output. */
export function tokensUsed(usage: CodexUsage): number {
  return usage.input_tokens - usage.cached_input_tokens + usage.output_tokens;
}
