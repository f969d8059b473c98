/**
 * `setup claude`: Claude Code's project scope in the repository root. `.mcp.json` gets
 * `mcpServers.NAME` (other servers kept). The permission goes to `.claude/settings.local.json`:
 * Claude Code 2.1 ignores `permissions.allow` of `.claude/settings.json` until the workspace is
 * trusted, while the local file is honoured in a fresh, untrusted checkout (and is meant to stay
 * out of git). `enabledMcpjsonServers` approves the project server so no prompt is needed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeWithBackup } from './backup.js';
import type { HostEntry } from './host_entry.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `mcpServers.NAME` object. Claude passes its whole environment, so only fixed values go in `env`. */
export function claudeServerEntry(entry: HostEntry): Json {
  return { type: 'stdio', command: entry.command, args: entry.args, env: { ...entry.env } };
}

/** The permission rule that allows every tool of server NAME. */
export const claudePermission = (name: string): string => `mcp__${name}`;

/** Merges the server into a `.mcp.json` object (other servers and keys kept). */
export function mergeMcpJson(doc: Json, name: string, entry: HostEntry): Json {
  const servers = isObject(doc.mcpServers) ? doc.mcpServers : {};
  const previous = isObject(servers[name]) ? servers[name] : {};
  const ours = claudeServerEntry(entry);
  const previousEnv = isObject(previous.env) ? previous.env : {};
  return { ...doc, mcpServers: { ...servers, [name]: { ...previous, ...ours, env: { ...previousEnv, ...(ours.env as Json) } } } };
}

/** Adds the allow rule and the server approval to a settings object (nothing removed, no duplicates). */
export function mergeClaudeSettings(doc: Json, name: string): Json {
  const permissions = isObject(doc.permissions) ? doc.permissions : {};
  const allow = Array.isArray(permissions.allow) ? permissions.allow : [];
  const enabled = Array.isArray(doc.enabledMcpjsonServers) ? doc.enabledMcpjsonServers : [];
  const add = <T>(list: T[], value: T) => (list.includes(value) ? list : [...list, value]);
  return {
    ...doc,
    permissions: { ...permissions, allow: add(allow, claudePermission(name)) },
    enabledMcpjsonServers: add(enabled, name),
  };
}

async function readJson(file: string): Promise<{ doc: Json; text: string | null }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { doc: {}, text: null };
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc)) throw new Error(`${file} must hold a JSON object`);
  return { doc, text };
}

/** One file written by {@link setupClaude}. */
export interface WrittenFile {
  path: string;
  backupPath: string | null;
  changed: boolean;
}

async function update(file: string, change: (doc: Json) => Json): Promise<WrittenFile> {
  const { doc, text } = await readJson(file);
  const next = `${JSON.stringify(change(doc), null, 2)}\n`;
  if (text === next) return { path: file, backupPath: null, changed: false };
  return { path: file, backupPath: await writeWithBackup(file, next, text !== null), changed: true };
}

/** What `--print` shows: both files' relevant parts. */
export function renderClaudeEntry(name: string, entry: HostEntry): string {
  return (
    `# ${'.mcp.json'}\n${JSON.stringify(mergeMcpJson({}, name, entry), null, 2)}\n` +
    `# .claude/settings.local.json\n${JSON.stringify(mergeClaudeSettings({}, name), null, 2)}\n`
  );
}

/** Writes `.mcp.json` and `.claude/settings.local.json` in `repoRoot` (backups first). */
export async function setupClaude(repoRoot: string, name: string, entry: HostEntry): Promise<WrittenFile[]> {
  return [
    await update(path.join(repoRoot, '.mcp.json'), (doc) => mergeMcpJson(doc, name, entry)),
    await update(path.join(repoRoot, '.claude', 'settings.local.json'), (doc) => mergeClaudeSettings(doc, name)),
  ];
}
