/**
 * The one error model of the project. Every expected failure — bad input, a refused payload,
 * a codex failure, a timeout — is a {@link CodexChildError} value with a machine-readable
 * `reason`, the exit code the drop-in CLI uses for it, a one-line `message` (exactly what the CLI
 * prints last on stderr) and optional `diagnostics` (lines printed before the message, such as the
 * tail of codex's stream). Library functions return these as values; they do not throw them.
 */

/** Why a run failed. Stable identifiers, safe to switch on. */
export type CodexChildErrorReason =
  /** The codex binary named by CODEX_BIN cannot be found or executed (exit 1). */
  | 'codex_not_found'
  /** stdin was empty by the V661 rule (exit 2). */
  | 'empty_stdin'
  /** The payload is larger than the drop-in's cap (exit 2). */
  | 'payload_too_large'
  /** The payload bytes are not valid UTF-8 (exit 2). */
  | 'invalid_utf8'
  /** The payload is not valid JSON by Python's json.loads rules (exit 2). */
  | 'invalid_json'
  /** The JSON root is not an object (exit 2). */
  | 'invalid_root'
  /** `task` is truthy but not an object (exit 2). */
  | 'invalid_task'
  /** The payload references `.env` files (exit 3). */
  | 'dotenv_reference'
  /** `mode` is not `plan` or `execute` (exit 2). */
  | 'unknown_mode'
  /** The `.env*` snapshot or its verification hit an I/O error (exit 1). */
  | 'snapshot_failed'
  /** codex exited non-zero or was killed by a signal (exit: codex's own code). */
  | 'codex_failed'
  /** codex exited 0 but produced no result (exit 3). */
  | 'empty_output'
  /** codex added, removed or changed `.env*` files (exit 4). */
  | 'dotenv_modified'
  /** The library-level timeout expired and the process group was killed. */
  | 'timed_out'
  /** The caller aborted the run (AbortSignal) and the process group was killed. */
  | 'cancelled'
  /** The wrapper itself received SIGTERM/SIGINT/SIGHUP (exit 128+N). */
  | 'interrupted'
  /** No credentials for an isolated run. */
  | 'auth_missing'
  /** A credential or config symlink could not be created in the run home. */
  | 'auth_link_failed'
  /** The run directory (CODEX_HOME/TMPDIR) could not be prepared. */
  | 'run_dir_failed'
  /** A library option is invalid (programming error on the caller's side, exit 2). */
  | 'invalid_option';

/** Everything needed to build a {@link CodexChildError}. */
export interface CodexChildErrorInit {
  reason: CodexChildErrorReason;
  /** One line, no trailing newline: the final stderr line of the CLI. */
  message: string;
  /** Exit code the drop-in CLI uses for this failure. */
  exitCode: number;
  /** Lines printed on stderr before `message` (e.g. codex's stream tail). */
  diagnostics?: readonly string[];
  /** Lines printed on stderr after `message` (e.g. `last stream lines:` and the tail). */
  trailer?: readonly string[];
  /** Structured context (lists of changed files, codex's exit code, the signal, …). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * A typed, expected failure. Like execa's errors it carries reason flags (`timedOut`,
 * `isCanceled`, `isInterrupted`) next to a stable `reason` code.
 */
export class CodexChildError extends Error {
  override readonly name = 'CodexChildError';
  readonly reason: CodexChildErrorReason;
  readonly exitCode: number;
  readonly diagnostics: readonly string[];
  readonly trailer: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;

  constructor(init: CodexChildErrorInit) {
    // One line, always: a value echoed into a message (a mode, a payload path) may hold newlines.
    super(init.message.replace(/\r\n|\r|\n/g, (eol) => (eol === '\n' ? '\\n' : eol === '\r' ? '\\r' : '\\r\\n')));
    this.reason = init.reason;
    this.exitCode = init.exitCode;
    this.diagnostics = init.diagnostics ?? [];
    this.trailer = init.trailer ?? [];
    this.details = init.details ?? {};
  }

  /** True when the library timeout expired. */
  get timedOut(): boolean {
    return this.reason === 'timed_out';
  }

  /** True when the caller cancelled the run. */
  get isCanceled(): boolean {
    return this.reason === 'cancelled';
  }

  /** True when the wrapper was stopped by a signal. */
  get isInterrupted(): boolean {
    return this.reason === 'interrupted';
  }

  /** Every stderr line of this failure in print order: diagnostics, message, trailer. */
  get stderrLines(): string[] {
    return [...this.diagnostics, this.message, ...this.trailer];
  }

  /** True for failures caused by the caller's input (exit 2). */
  get isBadInput(): boolean {
    return this.exitCode === 2;
  }
}

/** Shorthand used across the adapter: build an error value. */
export function childError(init: CodexChildErrorInit): CodexChildError {
  return new CodexChildError(init);
}

/** Exit codes of the drop-in CLI, named. Codex's own codes pass through unchanged. */
export const EXIT = {
  ok: 0,
  preflight: 1,
  badInput: 2,
  denied: 3,
  emptyOutput: 3,
  dotenvModified: 4,
} as const;
