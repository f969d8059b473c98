/**
 * A hermetic "world" for runs of the REAL codex binary: the loopback fake model server (in this
 * process) and a fresh HOME / CODEX_HOME / TMPDIR below the benchmark's temp root. Same setup as
 * test/support/wrapper_harness.ts and demo/run_demo.ts.
 */
import path from 'node:path';
import { startFakeModelServer, type FakeModelServer, type FakeModelServerOptions } from '../../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, hermeticWrapperEnv, resolveCodexBinary, type HermeticCodexHome, type HermeticCodexOptions } from '../../src/devtools/hermetic_codex.js';

/** A fake model server plus a hermetic codex home. */
export interface World {
  server: FakeModelServer;
  home: HermeticCodexHome;
  /** The native codex binary of the pinned @openai/codex. */
  codexBin: string;
  /** Env for bin/codex-wrapper: hermetic, TARGET_PROJECT_DIR = workDir, CODEX_BIN = native codex. */
  wrapperEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a world below `parentDir`. */
export async function startWorld(
  parentDir: string,
  serverOptions: FakeModelServerOptions = {},
  homeOptions: Partial<HermeticCodexOptions> = {},
): Promise<World> {
  const server = await startFakeModelServer(serverOptions);
  const home = createHermeticCodexHome({ baseUrl: server.baseUrl, modelCatalog: true, parentDir, ...homeOptions });
  const codexBin = resolveCodexBinary();
  const wrapperEnv = hermeticWrapperEnv(home, codexBin);
  return {
    server,
    home,
    codexBin,
    wrapperEnv,
    async close() {
      await server.close();
      home.cleanup();
    },
  };
}

/** The demo payload (execute mode; the fake model's default `demo` scenario answers it). */
export function demoPayload(extraDescription = ''): string {
  return JSON.stringify({
    mode: 'execute',
    teammate_id: 'tm-bench',
    task: {
      id: 'T-1',
      title: 'Create a.txt',
      description: `Create a.txt containing one line, then report in the 4-line format.${extraDescription}`,
      target_paths: ['a.txt'],
      depends_on: [],
      requires_plan: false,
      progress_log: [{ timestamp: 1763700000.5, source: 'system', text: 'claimed by tm-bench' }],
    },
  });
}

/** The executor's own settings for a bench run that calls scripts/codex_executor.sh directly. */
export function executorBenchEnv(base: NodeJS.ProcessEnv, execDir: string): NodeJS.ProcessEnv {
  return {
    ...base,
    CODEX_EXECUTOR_STDOUT_LOG: path.join(execDir, 'codex_stdout.jsonl'),
    CODEX_EXECUTOR_STDERR_LOG: path.join(execDir, 'codex_stderr.txt'),
    CODEX_EXECUTOR_STREAM_LOG: path.join(execDir, 'stream.log'),
    CODEX_EXECUTOR_LAST_MESSAGE: path.join(execDir, 'last_message.txt'),
    CODEX_EXECUTOR_WORK_DIR: execDir,
    CODEX_EXECUTOR_KILL_GRACE_S: '3',
    CODEX_EXECUTOR_WATCH_PID: String(process.pid),
  };
}
