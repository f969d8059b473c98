/** `codex-child-mcp setup codex|claude`: builds the entry, then prints it or writes the host config. */
import path from 'node:path';
import { renderClaudeEntry, setupClaude } from './claude_config.js';
import { renderCodexEntry, setupCodex } from './codex_config.js';
import { MCP_EXIT } from '../exit_codes.js';
import { buildHostEntry } from './host_entry.js';

/** Exit codes of the one-shot commands: the server's table. */
const COMMAND_EXIT = MCP_EXIT;

/** Output sinks (stdout, stderr), injectable for tests. */
export interface CommandIo {
  out: (text: string) => void;
  err: (line: string) => void;
}

/** Options of {@link runSetup}. */
export interface SetupOptions {
  host: 'codex' | 'claude';
  repoRoot: string;
  name: string;
  print: boolean;
}

/** Runs the command; returns the exit code. Problems are one line on `io.err`. */
export async function runSetup(options: SetupOptions, io: CommandIo, env: Readonly<Record<string, string | undefined>> = process.env, cwd: string = process.cwd()): Promise<number> {
  const built = await buildHostEntry(options.repoRoot, env, cwd);
  if (!built.ok) {
    io.err(`setup ${options.host}: ${built.error}`);
    return COMMAND_EXIT.failed;
  }
  const entry = built.value;
  const repoRoot = entry.env.ART_LOOP_REPO_ROOT as string;
  try {
    if (options.print) {
      io.out(options.host === 'codex' ? renderCodexEntry(options.name, entry) : renderClaudeEntry(options.name, entry));
      return COMMAND_EXIT.ok;
    }
    const written = options.host === 'codex' ? [await setupCodex(options.name, entry, env)].map((r) => ({ path: r.configPath, backupPath: r.backupPath, changed: r.changed })) : await setupClaude(repoRoot, options.name, entry);
    for (const file of written) {
      const what = file.changed ? `wrote ${file.path}` : `${file.path} already up to date`;
      io.out(`${what}${file.backupPath ? ` (backup: ${path.basename(file.backupPath)})` : ''}\n`);
    }
    io.out(`next: codex-child-mcp doctor --repo-root ${repoRoot}\n`);
    return COMMAND_EXIT.ok;
  } catch (error) {
    io.err(`setup ${options.host}: ${error instanceof Error ? error.message : String(error)}`);
    return COMMAND_EXIT.failed;
  }
}
