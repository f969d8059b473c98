/**
 * `codex-child-mcp doctor [--repo-root DIR]`: one line per check (`ok`, `warn` or `FAIL`, what was
 * found, and the fix). Exit 0 only when everything a run needs is there: codex, credentials, the
 * repository root, a server that starts and lists its tools. Host configs and the sandbox are
 * warnings: a run works without them (other host, fallback sandbox).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, type TomlTable } from 'smol-toml';
import { parentCodexHome, resolveCodexBin } from '../infrastructure/adapter/codex/index.js';
import { loadServerConfig } from './config.js';
import { SELF_PATTERN } from './self_registration.js';
import { claudePermission } from './setup/claude_config.js';
import { serverBinPath } from './setup/host_entry.js';
import type { CommandIo } from './setup/run_setup.js';
import { TOOL_NAMES } from './tool_schemas.js';
import { MCP_EXIT } from './exit_codes.js';

/** One check's outcome. */
export interface DoctorCheck {
  level: 'ok' | 'warn' | 'fail';
  name: string;
  detail: string;
  /** How to fix it (empty for ok). */
  fix: string;
}

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  repoRoot: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

type Env = Readonly<Record<string, string | undefined>>;
const ok = (name: string, detail: string): DoctorCheck => ({ level: 'ok', name, detail, fix: '' });
const warn = (name: string, detail: string, fix: string): DoctorCheck => ({ level: 'warn', name, detail, fix });
const fail = (name: string, detail: string, fix: string): DoctorCheck => ({ level: 'fail', name, detail, fix });

/** Runs a command with a deadline and its output captured; never throws (execa: `reject: false`). */
async function run(command: string, args: string[], options: { env: Env; cwd: string; timeoutMs: number }): Promise<{ code: number | null; stdout: string }> {
  const { execa } = await import('execa');
  const result = await execa(command, args, { env: options.env, extendEnv: false, cwd: options.cwd, stdin: 'ignore', timeout: options.timeoutMs, reject: false });
  return { code: result.exitCode ?? null, stdout: typeof result.stdout === 'string' ? result.stdout : '' };
}

async function checkCodex(env: Env, cwd: string): Promise<{ check: DoctorCheck; bin: string | null }> {
  const wanted = env.CODEX_BIN !== undefined && env.CODEX_BIN !== '' ? env.CODEX_BIN : 'codex';
  const bin = await resolveCodexBin(wanted, env.PATH, cwd);
  if (bin === null) return { bin, check: fail('codex', `not found (${wanted})`, 'install @openai/codex (npm i -g @openai/codex) or set CODEX_BIN to its absolute path') };
  const version = await run(bin, ['--version'], { env, cwd, timeoutMs: 20_000 });
  if (version.code !== 0) return { bin, check: fail('codex', `${bin} --version failed (exit ${version.code ?? 'killed'})`, 'reinstall @openai/codex') };
  return { bin, check: ok('codex', `${bin} (${version.stdout.trim().split('\n').at(-1)})`) };
}

async function checkCredentials(env: Env): Promise<DoctorCheck> {
  if (env.CODEX_API_KEY) return ok('credentials', 'CODEX_API_KEY is set');
  if (env.OPENAI_API_KEY) return ok('credentials', 'OPENAI_API_KEY is set (handed to children as CODEX_API_KEY)');
  const auth = path.join(parentCodexHome(env), 'auth.json');
  if (existsSync(auth)) return ok('credentials', `${auth} exists (linked into each run, never copied)`);
  return fail('credentials', `no CODEX_API_KEY, no OPENAI_API_KEY, no ${auth}`, 'run `codex login` or export CODEX_API_KEY');
}

async function checkSandbox(bin: string, env: Env): Promise<DoctorCheck> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'codex-child-doctor-'));
  try {
    const probe = await run(bin, ['sandbox', '--', 'true'], { env, cwd: dir, timeoutMs: 20_000 });
    if (probe.code === 0) return ok('sandbox', 'codex sandbox runs a command here (its Linux sandbox works, so workspace-write can)');
    return warn('sandbox', `codex sandbox failed here (exit ${probe.code ?? 'killed'}; containers often lack user namespaces)`, 'set CODEX_CHILD_SANDBOX=danger-full-access for the server (children are then unconfined)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the built server like a host would and asks for `initialize` + `tools/list`. */
async function checkServer(env: Env, repoRoot: string): Promise<DoctorCheck> {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverBinPath()],
    env: { ...(env as Record<string, string>), ART_LOOP_REPO_ROOT: repoRoot },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'codex-child-mcp-doctor', version: '1' });
  try {
    await client.connect(transport, { timeout: 30_000 });
    const listed = await client.listTools(undefined, { timeout: 30_000 });
    const names = listed.tools.map((t) => t.name);
    const missing = Object.values(TOOL_NAMES).filter((n) => !names.includes(n));
    if (missing.length > 0) return fail('server', `tools/list lacks ${missing.join(', ')}`, 'rebuild the package: npm run build');
    return ok('server', `starts, answers initialize and lists ${names.join(', ')}`);
  } catch (error) {
    const last = stderr.trim().split('\n').at(-1) ?? '';
    return fail('server', `does not start: ${last || (error as Error).message}`, 'fix the line above, or rebuild: npm run build');
  } finally {
    await client.close().catch(() => undefined);
  }
}

const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems of one host entry (command, repo root, CODEX_BIN); empty when it is right. */
export function entryProblems(entry: Record<string, unknown>, repoRoot: string): string[] {
  const problems: string[] = [];
  const command = [entry.command, ...(Array.isArray(entry.args) ? entry.args : [])].map(String).join(' ');
  if (!SELF_PATTERN.test(command)) problems.push('does not start codex-child-mcp');
  const env = isTable(entry.env) ? entry.env : {};
  if (env.ART_LOOP_REPO_ROOT !== undefined && path.resolve(String(env.ART_LOOP_REPO_ROOT)) !== repoRoot) problems.push(`ART_LOOP_REPO_ROOT is ${String(env.ART_LOOP_REPO_ROOT)}`);
  const codexBin = env.CODEX_BIN;
  if (typeof codexBin !== 'string' || !path.isAbsolute(codexBin)) problems.push('no absolute CODEX_BIN in env');
  else if (!existsSync(codexBin)) problems.push(`CODEX_BIN ${codexBin} does not exist`);
  return problems;
}

async function checkCodexConfig(env: Env, repoRoot: string): Promise<DoctorCheck> {
  const file = path.join(parentCodexHome(env), 'config.toml');
  const fix = `codex-child-mcp setup codex --repo-root ${repoRoot}`;
  let doc: TomlTable;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return warn('codex config', `${file} does not exist`, fix);
    return fail('codex config', `${file} cannot be used: ${String((error as Error).message).split('\n')[0]}`, 'repair the file (codex refuses it too), then setup codex');
  }
  const servers = isTable(doc.mcp_servers) ? doc.mcp_servers : {};
  const ours = Object.entries(servers).filter(([, e]) => isTable(e) && SELF_PATTERN.test(JSON.stringify([e.command, e.args])));
  if (ours.length === 0) return warn('codex config', `${file} has no entry for this server`, fix);
  const [name, entry] = ours[0] as [string, TomlTable];
  const problems = entryProblems(entry, repoRoot);
  if (entry.default_tools_approval_mode !== 'approve') problems.push('tools need approval (codex exec never approves)');
  if (entry.required !== true) problems.push('required is not true (tools may be missing from the first request)');
  if (entry.enabled === false) problems.push('enabled = false');
  if (problems.length > 0) return warn('codex config', `[mcp_servers.${name}]: ${problems.join('; ')}`, fix);
  return ok('codex config', `[mcp_servers.${name}] in ${file}`);
}

async function readJsonObject(file: string): Promise<Record<string, unknown> | null> {
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return isTable(doc) ? (doc as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function checkClaudeConfig(repoRoot: string): Promise<DoctorCheck> {
  const fix = `codex-child-mcp setup claude --repo-root ${repoRoot}`;
  const mcpJson = await readJsonObject(path.join(repoRoot, '.mcp.json'));
  const servers = mcpJson && isTable(mcpJson.mcpServers) ? mcpJson.mcpServers : {};
  const ours = Object.entries(servers).filter(([, e]) => isTable(e) && SELF_PATTERN.test(JSON.stringify([e.command, e.args])));
  if (ours.length === 0) return warn('claude config', `${repoRoot}/.mcp.json has no entry for this server`, fix);
  const [name, entry] = ours[0] as [string, Record<string, unknown>];
  const problems = entryProblems(entry, repoRoot);
  const settings = await readJsonObject(path.join(repoRoot, '.claude', 'settings.local.json'));
  const allow = settings && isTable(settings.permissions) && Array.isArray(settings.permissions.allow) ? settings.permissions.allow : [];
  if (!allow.includes(claudePermission(name))) problems.push(`.claude/settings.local.json does not allow ${claudePermission(name)}`);
  if (problems.length > 0) return warn('claude config', `${name}: ${problems.join('; ')}`, fix);
  return ok('claude config', `${name} in ${repoRoot}/.mcp.json, allowed in .claude/settings.local.json`);
}

/** Runs every check. */
export async function doctorChecks(options: DoctorOptions): Promise<DoctorCheck[]> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const checks: DoctorCheck[] = [];
  const codex = await checkCodex(env, cwd);
  checks.push(codex.check);
  checks.push(await checkCredentials(env));
  const configEnv = options.repoRoot !== undefined ? { ...env, ART_LOOP_REPO_ROOT: path.resolve(cwd, options.repoRoot) } : env;
  const loaded = await loadServerConfig(configEnv, cwd);
  if (!loaded.ok) {
    checks.push(fail('repo root', loaded.error, 'pass --repo-root DIR (an existing directory) and fix the variable named'));
    return checks;
  }
  const { repoRoot, runsRoot } = loaded.value;
  checks.push(ok('repo root', repoRoot));
  checks.push(existsSync(runsRoot) ? ok('runs root', runsRoot) : warn('runs root', `${runsRoot} does not exist yet`, 'the orchestrator creates it; or set ART_LOOP_RUNS_DIR'));
  if (codex.bin !== null) checks.push(await checkSandbox(codex.bin, env));
  checks.push(await checkServer(configEnv, repoRoot));
  checks.push(await checkCodexConfig(env, repoRoot));
  checks.push(await checkClaudeConfig(repoRoot));
  return checks;
}

/** One report line. */
export function formatCheck(check: DoctorCheck): string {
  const tag = check.level === 'ok' ? 'ok  ' : check.level === 'warn' ? 'warn' : 'FAIL';
  return `${tag} ${check.name}: ${check.detail}${check.fix ? ` -> fix: ${check.fix}` : ''}`;
}

/** Prints the checks; exit 0 when none failed, else 1. */
export async function runDoctor(options: DoctorOptions, io: CommandIo): Promise<number> {
  const checks = await doctorChecks(options);
  for (const check of checks) io.out(`${formatCheck(check)}\n`);
  return checks.some((c) => c.level === 'fail') ? MCP_EXIT.failed : MCP_EXIT.ok;
}
