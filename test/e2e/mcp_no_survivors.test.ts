/**
 * No survivors through the MCP server (issue 9, item 3): a `codex.run_task` child (the REAL codex,
 * `danger-full-access`, so no bubblewrap) runs a command that daemonises twice and then keeps
 * running; then the server is SIGKILLed, or the client cancels the call. Nothing of the run may be
 * left, with the kernel mechanism this machine allows and with the tracking fallback forced.
 * Survivors are found by a probe variable of the test's own (never by the run marker the fallback
 * kills by), and each test first checks that both daemons really started.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurn } from '../../src/devtools/fake_model_server.js';
import { detectNamespaceSupport } from '../../src/infrastructure/process/containment.js';
import { DAEMONS } from '../support/daemons.js';
import { startMcpServer } from '../support/mcp_harness.js';
import { commandLine, processesWithEnv, waitFor } from '../support/process_probe.js';
import { startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

const PROBE = 'MCP_NOSURV_PROBE';
const kernel = await detectNamespaceSupport();

let world: CodexWorld;
beforeAll(async () => {
  world = await startCodexWorld({
    scenarios: { daemons_hang: scriptedTurn({ commands: [`${DAEMONS}; sleep 120`], result: 'never', exec: { yieldTimeMs: 150_000 } }) },
  });
});
afterAll(() => world.close());

/** A server with its own repo root, workspace and probe; `contain` forces the fallback. */
async function startServer(contain: 'kernel' | 'tracking') {
  const probe = randomUUID();
  const repo = realpathSync(world.home.root);
  const workspace = path.join(repo, `ws-${probe}`);
  mkdirSync(workspace);
  const { client, transport } = await startMcpServer({
    cwd: repo,
    clientName: 'mcp-no-survivors',
    env: {
      ...world.env,
      ART_LOOP_REPO_ROOT: repo,
      CODEX_API_KEY: 'sk-fake-no-survivors-not-a-real-key',
      CODEX_CHILD_SANDBOX: 'danger-full-access',
      CODEX_CHILD_KILL_GRACE_MS: '1000',
      [PROBE]: probe,
      ...(contain === 'tracking' ? { CODEX_CHILD_CONTAINMENT: 'tracking' } : {}),
    },
  });
  const daemonsStarted = () => existsSync(path.join(workspace, 'd1.pid')) && existsSync(path.join(workspace, 'd2.pid'));
  // The server carries the probe too: while it runs (the cancel case) it is not a survivor.
  const survivors = () =>
    processesWithEnv(PROBE, probe)
      .filter((pid) => pid !== transport.pid)
      .map((pid) => `${pid}: ${commandLine(pid)}`);
  const call = (signal?: AbortSignal) =>
    client.callTool({ name: 'codex.run_task', arguments: { workspace_dir: path.basename(workspace), prompt: 'Start the daemons [[scenario:daemons_hang]]', timeout_s: 120 } }, undefined, {
      timeout: 150_000,
      ...(signal ? { signal } : {}),
    });
  return { client, transport, daemonsStarted, survivors, call };
}

const MODES = [
  ['kernel', kernel !== 'tracking'],
  ['tracking', true],
] as const;

for (const [mode, available] of MODES) {
  describe.skipIf(!available)(`codex.run_task under danger-full-access, ${mode} containment`, () => {
    it('SIGKILL of the server mid-run: the daemonised commands of its child do not survive', async () => {
      const server = await startServer(mode);
      const pending = server.call().catch(() => undefined);
      expect(await waitFor(server.daemonsStarted, 60_000)).toBe(true);
      const closed = new Promise<void>((resolve) => {
        server.client.onclose = () => resolve();
      });
      process.kill(server.transport.pid as number, 'SIGKILL');
      await closed;
      await pending;
      await waitFor(() => server.survivors().length === 0, 30_000);
      expect(server.survivors()).toEqual([]);
    });

    it('a cancelled call: the daemonised commands of its child do not survive', async () => {
      const server = await startServer(mode);
      const controller = new AbortController();
      const pending = server.call(controller.signal).catch((error: unknown) => error);
      expect(await waitFor(server.daemonsStarted, 60_000)).toBe(true);
      controller.abort();
      await pending;
      await waitFor(() => server.survivors().length === 0, 30_000);
      expect(server.survivors()).toEqual([]);
      await server.client.close();
    });
  });
}
