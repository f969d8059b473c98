/**
 * Config recursion guard (contract §3.5 item 6). A child's CODEX_HOME links the parent's
 * `config.toml`; when that config registers THIS server under `[mcp_servers.<name>]`, every child
 * would start another copy of it. We find such entries and disable them for the child with
 * `-c mcp_servers.<name>.enabled=false` (verified with codex 0.169; naming an entry that does not
 * exist is a hard config error — "invalid transport" — so only names found are passed).
 *
 * The scan is a small line-based TOML reader, enough for what `codex mcp add` and people write:
 * `[mcp_servers.NAME]` tables (bare or quoted names), `[mcp_servers]` with inline tables or dotted
 * keys, and top-level dotted keys, with `command`/`args` values that may span lines.
 */
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parentCodexHome, sharedConfigNames } from '../infrastructure/adapter/codex/index.js';

/** What marks an entry as this server: the bin name in its command or arguments. */
export const SELF_PATTERN = /codex[-_]child[-_]mcp/;

/** Names usable in a `-c mcp_servers.<name>.enabled=false` key (codex splits the key on dots). */
const SAFE_NAME = /^[A-Za-z0-9_-]+$/;

/** Splits a TOML dotted key (`a."b.c".d`) into its parts; null when it is not a plain key. */
export function parseDottedKey(text: string): string[] | null {
  const parts: string[] = [];
  let rest = text.trim();
  for (;;) {
    let match: RegExpExecArray | null;
    if ((match = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) parts.push(JSON.parse(`"${match[1] as string}"`) as string);
    else if ((match = /^'([^']*)'/.exec(rest))) parts.push(match[1] as string);
    else if ((match = /^[A-Za-z0-9_-]+/.exec(rest))) parts.push(match[0]);
    else return null;
    rest = rest.slice(match[0].length).trimStart();
    if (rest === '') return parts;
    if (!rest.startsWith('.')) return null;
    rest = rest.slice(1).trimStart();
  }
}

/** Position of the first `=` outside quotes, or -1. */
function assignmentIndex(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '=') return i;
    else if (c === '#') return -1;
  }
  return -1;
}

/** Bracket depth change of a value text, ignoring brackets inside strings and comments. */
function bracketDelta(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') depth -= 1;
  }
  return depth;
}

/**
 * Names of `[mcp_servers.<name>]` entries of a config.toml text whose `command` or `args`
 * mention `codex-child-mcp` (or match `pattern`).
 */
export function findSelfServers(toml: string, pattern: RegExp = SELF_PATTERN): string[] {
  const found = new Set<string>();
  const lines = toml.split(/\r?\n/);
  let table: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\s*([^[\]]+?)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      table = parseDottedKey(header[1] as string) ?? ['<unparsed>'];
      continue;
    }
    if (line.startsWith('[[')) {
      table = ['<array-table>'];
      continue;
    }
    const eq = assignmentIndex(line);
    if (eq < 0) continue;
    const key = parseDottedKey(line.slice(0, eq));
    if (key === null) continue;
    // Gather a multi-line array or inline table value.
    let value = line.slice(eq + 1);
    let depth = bracketDelta(value);
    while (depth > 0 && i + 1 < lines.length) {
      i += 1;
      const more = lines[i] as string;
      value += `\n${more}`;
      depth += bracketDelta(more);
    }
    const full = [...table, ...key];
    if (full[0] !== 'mcp_servers' || full.length < 2) continue;
    const name = full[1] as string;
    const field = full[2];
    const relevant = full.length === 2 || (full.length === 3 && (field === 'command' || field === 'args'));
    if (relevant && pattern.test(value)) found.add(name);
  }
  return [...found];
}

async function readRegular(file: string): Promise<string | null> {
  try {
    const real = await realpath(file);
    if (!(await stat(real)).isFile()) return null;
    return await readFile(real, 'utf8');
  } catch {
    return null;
  }
}

/** Result of {@link selfDisableArgs}. */
export interface SelfDisable {
  /** `-c mcp_servers.<name>.enabled=false` pairs. */
  args: string[];
  /** Entries found but not addressable with `-c` (odd characters in the name). */
  skipped: string[];
}

/**
 * The config files the child will load — the run home's own `config.toml` (and
 * `<profile>.config.toml`) when present, else the parent's, which the adapter links in unless
 * `CODEX_LINK_CONFIG=0` — scanned for entries that start this server.
 *
 * @param runCodexHome the child's CODEX_HOME (`<run dir>/.codex_home`), possibly not created yet.
 * @param env the environment the adapter reads (CODEX_HOME, HOME, CODEX_PROFILE, CODEX_LINK_CONFIG).
 */
export async function selfDisableArgs(runCodexHome: string, env: Readonly<Record<string, string | undefined>>): Promise<SelfDisable> {
  const names = new Set<string>();
  const parentHome = parentCodexHome(env);
  // A run home planted as a symlink is refused by the adapter before codex starts: not read here.
  const plantedHome = await lstat(runCodexHome).then((i) => i.isSymbolicLink(), () => false);
  for (const name of sharedConfigNames(env)) {
    const own = path.join(runCodexHome, name);
    let text = plantedHome ? null : await readRegular(own);
    const ownExists = text !== null || (await lstat(own).then((i) => !i.isSymbolicLink(), () => false));
    if (text === null && !ownExists && env.CODEX_LINK_CONFIG !== '0') text = await readRegular(path.join(parentHome, name));
    for (const server of findSelfServers(text ?? '')) names.add(server);
  }
  const args: string[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    if (SAFE_NAME.test(name)) args.push('-c', `mcp_servers.${name}.enabled=false`);
    else skipped.push(name);
  }
  return { args, skipped };
}
