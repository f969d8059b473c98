/**
 * Command-line arguments of `bin/codex-wrapper`. V661 callers pass none (the payload is on stdin),
 * so `--help` and `--version` are the only arguments; anything else is a usage error.
 */
import { parseArgs } from 'node:util';

/** One line: how to call the wrapper. Printed after every argument error. */
export const WRAPPER_USAGE = 'usage: codex-wrapper < payload.json   (or: codex-wrapper --help | --version)';

/** What the command line asks for. */
export type WrapperCommand = { kind: 'run' } | { kind: 'help' } | { kind: 'version' } | { kind: 'usage_error'; message: string };

/** Parses `argv` (without node and the script). Never throws. */
export function parseWrapperArgs(argv: readonly string[]): WrapperCommand {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return { kind: 'help' };
    if (values.version) return { kind: 'version' };
    return { kind: 'run' };
  } catch (error) {
    // parseArgs' messages are one sentence, sometimes with a hint after a newline: keep the sentence.
    const text = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return { kind: 'usage_error', message: `codex-wrapper: ${text.trim()}; ${WRAPPER_USAGE}` };
  }
}

/** The `--help` text. */
export function wrapperHelp(version: string): string {
  return [
    `codex-wrapper ${version}: run one Codex CLI child agent, a drop-in for agent-dock's codex_wrapper.sh.`,
    '',
    WRAPPER_USAGE,
    '',
    'Reads a teammate JSON payload ({"mode":"plan"|"execute","teammate_id":…,"task":{…}}) on stdin,',
    'runs `codex exec --json` with the built prompt, shows the live view on stderr and prints the',
    'result block (RESULT / SUMMARY / CHANGED_FILES / CHECKS) on stdout.',
    '',
    'Settings come from the environment: TARGET_PROJECT_DIR (codex -C; default: this package\'s own',
    'directory, so set it), CODEX_BIN, CODEX_MODEL, CODEX_SANDBOX, CODEX_STREAM_VIEW, CODEX_RUN_DIR, …',
    'Exit codes: 0 ok, 1 codex missing or setup failed, 2 bad payload or arguments, 3 deny rule or',
    'empty result, 4 .env files modified, other = codex\'s own. Full reference: the package README.',
    '',
    '  -h, --help     print this help and exit',
    '  -V, --version  print the version and exit',
    '',
  ].join('\n');
}
