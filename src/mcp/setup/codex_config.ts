/**
 * `setup codex`: merges `[mcp_servers.NAME]` into `$CODEX_HOME/config.toml` with a real TOML
 * parser (smol-toml), so an entry `codex mcp add` wrote (with its `[mcp_servers.NAME.env]` table)
 * is updated in place instead of duplicated (codex refuses a file with a duplicate key). Keys the
 * entry needs for `codex exec` (which never asks for approval) to reach the tools:
 * `default_tools_approval_mode = "approve"`, `required = true` (codex waits for the start-up
 * instead of sending the first model request without the tools), `env` + `env_vars` (codex starts
 * servers with a filtered environment), and the timeouts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify, type TomlTable } from 'smol-toml';
import { parentCodexHome } from '../../infrastructure/adapter/codex/index.js';
import { writeWithBackup } from './backup.js';
import { FORWARDED_ENV, type HostEntry } from './host_entry.js';

/** The `[mcp_servers.NAME]` table for `entry`, without any previous content. */
export function codexServerTable(entry: HostEntry): TomlTable {
  return {
    command: entry.command,
    args: entry.args,
    required: true,
    startup_timeout_sec: entry.startupTimeoutSec,
    tool_timeout_sec: entry.toolTimeoutSec,
    default_tools_approval_mode: 'approve',
    env_vars: [...FORWARDED_ENV],
    env: { ...entry.env },
  };
}

const isTable = (value: unknown): value is TomlTable => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * Merges the entry into a config.toml text. Other keys of the entry (e.g. `enabled_tools`) and
 * other env variables survive; the keys above are set; the rest of the file is kept (comments
 * are not: TOML libraries do not round-trip them, hence the backup). Throws on invalid TOML.
 */
export function mergeCodexConfig(text: string, name: string, entry: HostEntry): string {
  const doc = parse(text);
  const servers = isTable(doc.mcp_servers) ? doc.mcp_servers : {};
  const previous = isTable(servers[name]) ? servers[name] : {};
  const ours = codexServerTable(entry);
  const previousEnv = isTable(previous.env) ? previous.env : {};
  servers[name] = { ...previous, ...ours, env: { ...previousEnv, ...(ours.env as TomlTable) } };
  doc.mcp_servers = servers;
  return `${stringify(doc)}\n`;
}

/** The entry alone, as `--print` shows it. */
export function renderCodexEntry(name: string, entry: HostEntry): string {
  return `${stringify({ mcp_servers: { [name]: codexServerTable(entry) } })}\n`;
}

/** Result of {@link setupCodex}. */
export interface CodexSetupResult {
  configPath: string;
  backupPath: string | null;
  /** False when the file already had exactly this content. */
  changed: boolean;
}

/** Writes the merged config (backup first). Throws a one-line Error on unreadable/invalid TOML. */
export async function setupCodex(name: string, entry: HostEntry, env: Readonly<Record<string, string | undefined>>): Promise<CodexSetupResult> {
  const configPath = path.join(parentCodexHome(env), 'config.toml');
  let text = '';
  let hadFile = true;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${configPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    hadFile = false;
  }
  let merged: string;
  try {
    merged = mergeCodexConfig(text, name, entry);
  } catch (error) {
    throw new Error(`${configPath} is not valid TOML: ${String((error as Error).message).split('\n')[0]}`);
  }
  if (hadFile && merged === text) return { configPath, backupPath: null, changed: false };
  const backupPath = await writeWithBackup(configPath, merged, hadFile);
  return { configPath, backupPath, changed: true };
}
