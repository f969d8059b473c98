/**
 * `bin/codex-wrapper`: the drop-in for `codex_wrapper.sh`. JSON payload on stdin, the result on
 * stdout, the live view and every diagnostic on stderr, V661's exit codes (README "Exit codes").
 * All logic lives in the adapter; this file only wires stdin, signals and exit codes.
 */
import { EXIT } from '../domain/errors.js';
import { runTeammatePayload } from '../infrastructure/adapter/codex/codex_adapter.js';
import { MAX_PAYLOAD_BYTES } from '../infrastructure/adapter/codex/payload_validator.js';
import { packageRoot, packageVersion } from '../infrastructure/package_paths.js';
import { envRunOptions } from './env_options.js';
import { stderrLinesOf } from './error_lines.js';
import { readStdinCapped } from './read_stdin.js';
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
    const stopReading = () => process.stdin.destroy();
    signals.signal.addEventListener('abort', stopReading, { once: true });
    const stdin = await readStdinCapped(process.stdin, MAX_PAYLOAD_BYTES).catch(() => Buffer.alloc(0));
    signals.signal.removeEventListener('abort', stopReading);
    if (signals.received) return; // a signal during the read: no run yet, exit code already set
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
