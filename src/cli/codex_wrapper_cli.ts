/**
 * `bin/codex-wrapper`: the drop-in for `codex_wrapper.sh`. JSON payload on stdin, the result on
 * stdout, the live view and every diagnostic on stderr, V661's exit codes (README "Exit codes").
 * All logic lives in the adapter; this file only wires stdin, signals and exit codes.
 */
import { EXIT } from '../domain/errors.js';
import { MAX_PAYLOAD_BYTES, runTeammatePayload } from '../infrastructure/adapter/codex/index.js';
import { packageRoot, packageVersion } from '../infrastructure/package_paths.js';
import { envRunOptions } from './env_options.js';
import { stderrLinesOf } from './error_lines.js';
import { readFdCapped, readStdinCapped } from './read_stdin.js';
import { installSignalAbort } from './signal_abort.js';
import { parseWrapperArgs, wrapperHelp } from './wrapper_args.js';

/** How the bin script started us. */
export interface WrapperMainOptions {
  /** Command-line arguments after the script (default `process.argv.slice(2)`). */
  argv?: readonly string[];
}

function writeStderr(lines: readonly string[]): void {
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
}

/** All of stdin, at most {@link MAX_PAYLOAD_BYTES} + 1 bytes of it kept (an empty buffer when unreadable). */
async function readPayload(signal: AbortSignal): Promise<Buffer> {
  const direct = await readFdCapped(0, MAX_PAYLOAD_BYTES, signal);
  if (direct.eof) return direct.data;
  // A non-blocking stdin (shared with a parent that set O_NONBLOCK): the rest through the stream.
  const stopReading = () => process.stdin.destroy();
  signal.addEventListener('abort', stopReading, { once: true });
  try {
    const rest = await readStdinCapped(process.stdin, Math.max(0, MAX_PAYLOAD_BYTES - direct.data.length)).catch(() => Buffer.alloc(0));
    return Buffer.concat([direct.data, rest]);
  } finally {
    signal.removeEventListener('abort', stopReading);
  }
}

/** Runs one wrapper invocation and sets `process.exitCode`. Never throws. */
export async function main(options: WrapperMainOptions = {}): Promise<void> {
  // Arguments first: --help / --version / a usage error read no stdin and start nothing.
  const command = parseWrapperArgs(options.argv ?? process.argv.slice(2));
  if (command.kind !== 'run') {
    if (command.kind === 'usage_error') writeStderr([command.message]);
    else await new Promise<void>((resolve) => process.stdout.write(command.kind === 'help' ? wrapperHelp(packageVersion()) : `codex-wrapper ${packageVersion()}\n`, () => resolve()));
    process.exitCode = command.kind === 'usage_error' ? 2 : 0;
    return;
  }
  const signals = installSignalAbort();
  try {
    const stdin = await readPayload(signals.signal);
    // A signal during the read: no run yet, the exit code is already set. Exit now: a read of fd 0
    // that is still pending in the thread pool would keep the process waiting for the caller.
    if (signals.received) process.exit();
    const fromEnv = envRunOptions(process.env);
    writeStderr(fromEnv.warnings);
    const outcome = await runTeammatePayload(stdin, {
      ...fromEnv.options,
      // V661 defaulted to its own checkout; ours is the package's own directory (symlinks resolved),
      // never the directory a global install links the bin from.
      defaultProjectDir: packageRoot(),
      display: 'inherit',
      signal: signals.signal,
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
