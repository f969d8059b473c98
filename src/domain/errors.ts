/**
 * The one error model of the project. Every expected failure — bad input, a refused payload,
 * a codex failure, a timeout — is a {@link CodexChildError} value with a machine-readable
 * `reason`, the exit code the drop-in CLI uses for it (from {@link REASON_EXIT}), a one-line
 * `message`, optional `diagnostics`/`trailer` lines (such as the tail of codex's stream) and
 * `details` typed per reason ({@link CodexChildErrorDetails}). Library functions return these as
 * values inside a {@link Result} (./result.ts); they do not throw them. How an error is printed is
 * the CLI's business (src/cli/error_lines.ts).
 */

/** How a run's processes were contained and torn down (src/infrastructure/process/containment.ts). */
export type Containment = 'pidns' | 'userns' | 'tracking';

/** Where a run was when its clock stopped it without codex running. */
export type StopPhase = 'before_codex' | 'after_codex';

/**
 * Structured context of each failure, by reason: `error.details` narrows on `error.reason`.
 * Every key of this map is a {@link CodexChildErrorReason}.
 */
export interface CodexChildErrorDetails {
  /** The codex binary named by CODEX_BIN cannot be found or executed (exit 1). */
  codex_not_found: { readonly codexBin: string };
  /** The codex executor itself could not be spawned (exit 127). */
  executor_not_started: { readonly spawnError: string | null };
  /** stdin was empty by the V661 rule (exit 2). */
  empty_stdin: Record<string, never>;
  /** The payload is larger than the drop-in's cap (exit 2). */
  payload_too_large: Record<string, never>;
  /** The payload bytes are not valid UTF-8 (exit 2). */
  invalid_utf8: Record<string, never>;
  /** The payload is not valid JSON by Python's json.loads rules (exit 2). */
  invalid_json: Record<string, never>;
  /** The JSON root is not an object (exit 2). */
  invalid_root: Record<string, never>;
  /** `task` is truthy but not an object (exit 2). */
  invalid_task: Record<string, never>;
  /** The payload references `.env` files (exit 3): the task id and every hit. */
  dotenv_reference: { readonly taskId: string; readonly hits: readonly { readonly field: string; readonly text: string }[] };
  /** `mode` is not `plan` or `execute` (exit 2). */
  unknown_mode: Record<string, never>;
  /** The `.env*` snapshot or its verification hit an I/O error (exit 1). */
  snapshot_failed: { readonly root: string };
  /** codex exited non-zero or was killed by a signal (exit: codex's own code). */
  codex_failed: {
    readonly codexExitCode: number;
    readonly turnFailed?: string | null;
    readonly threadId?: string | null;
    /** Where the stream log was copied (only when codex wrote one). */
    readonly errorLogPath?: string;
  };
  /** codex exited 0 but produced no result (exit 3). */
  empty_output: { readonly threadId?: string | null };
  /** codex added, removed or changed `.env*` files (exit 4). */
  dotenv_modified: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
  /** The library-level timeout expired (exit 124); codex's process group was killed if it ran. */
  timed_out: { readonly phase?: StopPhase; readonly executorExitCode?: number; readonly containment?: Containment };
  /** The caller aborted the run (AbortSignal, exit 130); codex's process group was killed if it ran. */
  cancelled: { readonly phase?: StopPhase; readonly executorExitCode?: number; readonly root?: string; readonly containment?: Containment };
  /** The wrapper itself received SIGTERM/SIGINT/SIGHUP (exit 128+N). */
  interrupted: { readonly signal: string; readonly phase?: StopPhase; readonly executorExitCode?: number; readonly containment?: Containment };
  /** No credentials for an isolated run (exit 1). */
  auth_missing: { readonly parentHome: string };
  /** A credential or config symlink could not be created in the run home (exit 1). */
  auth_link_failed: { readonly link: string; readonly target?: string };
  /** The run directory (CODEX_HOME/TMPDIR), a temp dir or a log file could not be prepared (exit 1). */
  run_dir_failed: { readonly runDir?: string; readonly dir?: string; readonly tempRoot?: string; readonly path?: string };
  /** TARGET_PROJECT_DIR (or the project dir option) is not a directory (exit 1). */
  project_dir_not_found: { readonly projectDir: string };
  /** A library option is invalid (programming error on the caller's side, exit 2). */
  /** The option's name and the value given. */
  invalid_option: { readonly option?: string; readonly value?: unknown };
}

/** Why a run failed. Stable identifiers, safe to switch on. */
export type CodexChildErrorReason = keyof CodexChildErrorDetails;

/** Exit codes of the drop-in CLI, named. Codex's own codes pass through unchanged. */
export const EXIT = {
  ok: 0,
  preflight: 1,
  /** An unexpected failure of the wrapper itself (one line, never a stack trace). */
  internalError: 1,
  badInput: 2,
  denied: 3,
  emptyOutput: 3,
  dotenvModified: 4,
  /** Like timeout(1). */
  timedOut: 124,
  /** Like a shell that cannot execute a command. */
  notStarted: 127,
  /** 128 + SIGINT, as a shell reports a cancelled command. */
  cancelled: 130,
} as const;

/** Reasons whose exit code is not fixed: codex's own status, or 128 + the signal's number. */
export type VariableExitReason = 'codex_failed' | 'interrupted';

/** The one table of exit codes: every reason with a fixed code maps to it here. */
export const REASON_EXIT: { readonly [R in Exclude<CodexChildErrorReason, VariableExitReason>]: number } = {
  codex_not_found: EXIT.preflight,
  executor_not_started: EXIT.notStarted,
  empty_stdin: EXIT.badInput,
  payload_too_large: EXIT.badInput,
  invalid_utf8: EXIT.badInput,
  invalid_json: EXIT.badInput,
  invalid_root: EXIT.badInput,
  invalid_task: EXIT.badInput,
  dotenv_reference: EXIT.denied,
  unknown_mode: EXIT.badInput,
  snapshot_failed: EXIT.preflight,
  empty_output: EXIT.emptyOutput,
  dotenv_modified: EXIT.dotenvModified,
  timed_out: EXIT.timedOut,
  cancelled: EXIT.cancelled,
  auth_missing: EXIT.preflight,
  auth_link_failed: EXIT.preflight,
  run_dir_failed: EXIT.preflight,
  project_dir_not_found: EXIT.preflight,
  invalid_option: EXIT.badInput,
};

/** Details without a required key may be omitted. */
type DetailsField<R extends CodexChildErrorReason> =
  Record<string, never> extends CodexChildErrorDetails[R] ? { details?: CodexChildErrorDetails[R] } : { details: CodexChildErrorDetails[R] };

/** The exit code is given only where it varies; every other reason takes it from {@link REASON_EXIT}. */
type ExitField<R extends CodexChildErrorReason> = R extends VariableExitReason ? { exitCode: number } : { exitCode?: never };

/** Everything needed to build a {@link CodexChildError} of reason `R`. */
export type CodexChildErrorInit<R extends CodexChildErrorReason = CodexChildErrorReason> = {
  [K in R]: {
    reason: K;
    /** One line, no trailing newline: the final stderr line of the CLI. */
    message: string;
    /** Lines printed on stderr before `message` (e.g. codex's stream tail). */
    diagnostics?: readonly string[];
    /** Lines printed on stderr after `message` (e.g. `last stream lines:` and the tail). */
    trailer?: readonly string[];
  } & DetailsField<K> &
    ExitField<K>;
}[R];

/** A typed, expected failure of one reason `R`. Use {@link CodexChildError} (the union) in signatures. */
class ReasonedError<R extends CodexChildErrorReason> extends Error {
  override readonly name = 'CodexChildError';
  readonly reason: R;
  /** Exit code the drop-in CLI uses for this failure. */
  readonly exitCode: number;
  readonly diagnostics: readonly string[];
  readonly trailer: readonly string[];
  readonly details: CodexChildErrorDetails[R];

  constructor(init: CodexChildErrorInit<R>) {
    // One line, always: a value echoed into a message (a mode, a payload path) may hold newlines.
    super(init.message.replace(/\r\n|\r|\n/g, (eol) => (eol === '\n' ? '\\n' : eol === '\r' ? '\\r' : '\\r\\n')));
    this.reason = init.reason;
    const fixed = (REASON_EXIT as Partial<Record<CodexChildErrorReason, number>>)[init.reason];
    this.exitCode = init.exitCode ?? (fixed as number);
    this.diagnostics = init.diagnostics ?? [];
    this.trailer = init.trailer ?? [];
    this.details = (init.details ?? {}) as CodexChildErrorDetails[R];
  }
}

/**
 * A typed, expected failure: the union over reasons, so that checking `error.reason` narrows
 * `error.details`. `CodexChildError<'codex_failed'>` names one reason's error.
 */
export type CodexChildError<R extends CodexChildErrorReason = CodexChildErrorReason> = { [K in R]: ReasonedError<K> }[R];

/** The class behind {@link CodexChildError}, for `instanceof` and `new`. */
export const CodexChildError: new <R extends CodexChildErrorReason>(init: CodexChildErrorInit<R>) => CodexChildError<R> = ReasonedError as never;

/** Shorthand used across the adapter: build an error value. */
export function childError<R extends CodexChildErrorReason>(init: CodexChildErrorInit<R>): CodexChildError<R> {
  return new CodexChildError(init);
}
