/**
 * `bin/codex-wrapper`: the drop-in for `codex_wrapper.sh`. JSON payload on stdin, the result on
 * stdout, the live view and every diagnostic on stderr, V661's exit codes (README "Exit codes").
 * All logic lives in the adapter; this file only wires stdin, signals and exit codes.
 */
import path from 'node:path';
import { EXIT } from '../domain/errors.js';
import { runTeammatePayload } from '../infrastructure/adapter/codex/codex_adapter.js';
import { decideCompat } from '../infrastructure/adapter/codex/compat_mode.js';
import { MAX_PAYLOAD_BYTES } from '../infrastructure/adapter/codex/payload_validator.js';
import { stderrLinesOf } from './error_lines.js';
import { readStdinCapped } from './read_stdin.js';
import { installSignalAbort } from './signal_abort.js';

/** How the bin script started us. */
export interface WrapperMainOptions {
  /** Path of the entry script as invoked (its directory is the default TARGET_PROJECT_DIR). */
  entryScript: string;
}

function writeStderr(lines: readonly string[]): void {
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
}

/** Runs one wrapper invocation and sets `process.exitCode`. Never throws. */
export async function main(options: WrapperMainOptions): Promise<void> {
  const signals = installSignalAbort();
  try {
    const stopReading = () => process.stdin.destroy();
    signals.signal.addEventListener('abort', stopReading, { once: true });
    const stdin = await readStdinCapped(process.stdin, MAX_PAYLOAD_BYTES).catch(() => Buffer.alloc(0));
    signals.signal.removeEventListener('abort', stopReading);
    if (signals.received) return; // a signal during the read: no run yet, exit code already set
    // RESULT_PHASE / CODEX_WRAPPER_COMPAT → the library's typed choice (agent-dock-head-contract.md §2).
    const compat = decideCompat(process.env);
    if (compat.warning !== null) writeStderr([compat.warning]);
    const outcome = await runTeammatePayload(stdin, {
      compat: compat.mode,
      ...(compat.resultPhase !== undefined ? { resultPhase: compat.resultPhase } : {}),
      defaultProjectDir: path.dirname(path.resolve(options.entryScript)),
      display: 'inherit',
      signal: signals.signal,
      ...(process.env.CODEX_RUN_DIR ? { runDir: process.env.CODEX_RUN_DIR } : {}),
      log: (line) => writeStderr([line]),
    });
    if (outcome.ok) {
      if (process.env.CODEX_WRAPPER_DEBUG === '1') writeStderr(outcome.value.warnings.map((w) => `[codex_wrapper] warning: ${w}`));
      await new Promise<void>((resolve) => process.stdout.write(outcome.value.outputBytes, () => resolve()));
      process.exitCode = EXIT.ok;
    } else {
      writeStderr(stderrLinesOf(outcome.error));
      process.exitCode = outcome.error.exitCode;
    }
  } catch (error) {
    // Unexpected: still one line, never a stack trace.
    const text = error instanceof Error ? error.message : String(error);
    writeStderr([`codex_wrapper internal error: ${text.replace(/\s+/g, ' ').trim()}`]);
    process.exitCode = EXIT.internalError;
  } finally {
    signals.dispose();
  }
}
