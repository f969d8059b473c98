/**
 * Test harness for `bin/codex-wrapper`: spawn it with a payload on stdin, collect stdout/stderr and
 * the exit code; build hermetic environments around the real codex binary and the fake model.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startFakeModelServer, type FakeModelServer, type FakeModelServerOptions } from '../../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, hermeticWrapperEnv, type HermeticCodexHome, type HermeticCodexOptions } from '../../src/devtools/hermetic_codex.js';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const WRAPPER = path.join(REPO_ROOT, 'bin', 'codex-wrapper');

/** What one wrapper run produced. */
export interface WrapperRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  durationMs: number;
}

/** Spawns the wrapper; `onSpawn` can signal it mid-run. */
export function runWrapper(
  input: string | Buffer,
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number; onSpawn?: (child: ChildProcess) => void; cwd?: string; bin?: string } = {},
): Promise<WrapperRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.bin ?? WRAPPER, [], { env: env as NodeJS.ProcessEnv, cwd: options.cwd ?? REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8'), durationMs: Date.now() - started });
    });
    child.stdin!.on('error', () => undefined); // the wrapper may exit before reading everything
    child.stdin!.end(input);
    options.onSpawn?.(child);
  });
}

/** A fake model server plus a hermetic codex home and the env the wrapper needs. */
export interface CodexWorld {
  server: FakeModelServer;
  home: HermeticCodexHome;
  /** Env for the wrapper: hermetic, TARGET_PROJECT_DIR = home.workDir, CODEX_BIN = native codex. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a world; close it in afterAll/afterEach. */
export async function startCodexWorld(
  serverOptions: FakeModelServerOptions = {},
  homeOptions: Partial<HermeticCodexOptions> = {},
): Promise<CodexWorld> {
  const server = await startFakeModelServer(serverOptions);
  const home = createHermeticCodexHome({ baseUrl: server.baseUrl, modelCatalog: true, ...homeOptions });
  const env = hermeticWrapperEnv(home);
  return {
    server,
    home,
    env,
    async close() {
      home.cleanup();
      await server.close();
    },
  };
}

/** An execute payload whose description selects a fake-model scenario. */
export function executePayload(scenario: string, extraTask: Record<string, unknown> = {}): string {
  return JSON.stringify({
    mode: 'execute',
    teammate_id: 'tm-e2e',
    task: { id: 'T-1', title: 'e2e task', description: `Do it. [[scenario:${scenario}]]`, target_paths: ['a.txt'], ...extraTask },
  });
}
