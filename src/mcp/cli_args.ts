/**
 * Command line of `codex-child-mcp` (node:util.parseArgs). No arguments: serve MCP on stdio.
 * `--help` / `--version` print and exit 0 without starting the server; `setup codex|claude` and
 * `doctor` are one-shot commands. Bad usage is one line on stderr and exit 2.
 */
import { parseArgs } from 'node:util';

/** Default server name in host configs. */
export const DEFAULT_ENTRY_NAME = 'art-loop';

/** What the command line asks for. */
export type CliCommand =
  | { kind: 'serve' }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'setup'; host: 'codex' | 'claude'; repoRoot: string; name: string; print: boolean }
  | { kind: 'doctor'; repoRoot: string | undefined }
  | { kind: 'usage_error'; message: string };

/** The `--help` text. */
export const USAGE = `Usage:
  codex-child-mcp                     serve MCP on stdio (what a host starts)
  codex-child-mcp setup codex --repo-root DIR [--name NAME] [--print]
                                      add/update [mcp_servers.NAME] in $CODEX_HOME/config.toml
  codex-child-mcp setup claude --repo-root DIR [--name NAME] [--print]
                                      write DIR/.mcp.json and DIR/.claude/settings.local.json
  codex-child-mcp doctor [--repo-root DIR]
                                      check that runs can work here; exit 0 when they can
  codex-child-mcp --help | --version

NAME defaults to ${DEFAULT_ENTRY_NAME}. --print shows the entry instead of writing it.
Server settings come from the environment (ART_LOOP_REPO_ROOT, CODEX_BIN, ART_LOOP_MAX_CONCURRENCY, ...; see README).
`;

const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Parses `argv` (without node and the script). Never throws. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
        'repo-root': { type: 'string' },
        name: { type: 'string' },
        print: { type: 'boolean' },
      },
    });
  } catch (error) {
    return { kind: 'usage_error', message: (error as Error).message.split('\n')[0] ?? 'bad arguments' };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) {
    const stray = Object.keys(values)[0];
    return stray === undefined ? { kind: 'serve' } : { kind: 'usage_error', message: `--${stray} needs a command (setup or doctor)` };
  }
  if (command === 'doctor') {
    if (rest.length > 0) return { kind: 'usage_error', message: `doctor takes no argument ${JSON.stringify(rest[0])}` };
    if (values.name !== undefined || values.print) return { kind: 'usage_error', message: 'doctor accepts only --repo-root' };
    return { kind: 'doctor', repoRoot: values['repo-root'] };
  }
  if (command === 'setup') {
    const [host, ...extra] = rest;
    if (host !== 'codex' && host !== 'claude') return { kind: 'usage_error', message: 'setup needs a host: setup codex or setup claude' };
    if (extra.length > 0) return { kind: 'usage_error', message: `setup ${host} takes no argument ${JSON.stringify(extra[0])}` };
    const repoRoot = values['repo-root'];
    if (repoRoot === undefined || repoRoot.trim() === '') return { kind: 'usage_error', message: `setup ${host} needs --repo-root DIR` };
    const name = values.name ?? DEFAULT_ENTRY_NAME;
    if (!NAME_PATTERN.test(name)) return { kind: 'usage_error', message: `--name must be letters, digits, - or _, got ${JSON.stringify(name)}` };
    return { kind: 'setup', host, repoRoot, name, print: values.print === true };
  }
  return { kind: 'usage_error', message: `unknown command ${JSON.stringify(command)} (try --help)` };
}
