/**
 * Wires the three tools into an `McpServer` (official TypeScript SDK) and keeps track of the calls
 * in flight, so a shutdown can wait until every child process group is gone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { packageRoot } from '../infrastructure/package_paths.js';
import type { ServerConfig } from './config.js';
import { KeyedMutex } from './dir_locks.js';
import { FifoSemaphore } from './fifo_semaphore.js';
import type { LoadedTemplate } from './prompt_template.js';
import { readTailTool } from './read_tail_tool.js';
import { runArtistTool, type ToolExtra } from './run_artist.js';
import { runTaskTool } from './run_task.js';
import {
  readTailInput,
  runArtistInput,
  runArtistOutput,
  runTaskInput,
  runTaskOutput,
  TOOL_NAMES,
  typedButUnchecked,
} from './tool_schemas.js';

/** Name the server announces in `initialize`. */
export const SERVER_NAME = 'codex-child-mcp';

/** What {@link createCodexChildServer} needs. */
export interface ServerDeps {
  config: ServerConfig;
  template: LoadedTemplate;
  /** Aborted when the server shuts down: queued calls leave the queue, running children are killed. */
  shutdown: AbortSignal;
  /** One diagnostic line (stderr). */
  log: (line: string) => void;
}

/** The server plus its bookkeeping. */
export interface CodexChildServer {
  mcp: McpServer;
  semaphore: FifoSemaphore;
  /** Calls in flight right now. */
  readonly inFlight: number;
  /** Resolves when every call in flight has finished (children stopped, artifacts written). */
  drain(): Promise<void>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const ARTIST_DESCRIPTION =
  'Run the `$grafix-art-loop-artist` skill once as an isolated Codex CLI child agent in one variant directory ' +
  '(<run_id>/iter_XX/vYY under the runs root, holding artist_context.json and creative_brief.json). The artist writes ' +
  'sketch.py, out.png, artifact.json, stdout.txt and stderr.txt there. Returns a short JSON result with status, timings ' +
  'and log PATHS (read them with art_loop.read_text_tail). Calls beyond ART_LOOP_MAX_CONCURRENCY wait in a FIFO queue. ' +
  'artifact.json always exists afterwards (the server writes a failure Artifact if the artist did not).';

const TAIL_DESCRIPTION =
  'Return the last max_chars characters (default 4000) of a text file under the runs root, e.g. a codex_stderr.txt ' +
  'or stdout.txt path from art_loop.run_codex_artist. A missing file gives "". Never waits behind running children.';

const TASK_DESCRIPTION =
  'Run any prompt with an isolated Codex CLI child agent (`codex exec -C workspace_dir`) under CODEX_CHILD_ROOT. ' +
  'Logs go to <workspace_dir>/.codex_child/<run_id>/ (codex_stdout.txt, codex_stderr.txt, codex_last_message.md). ' +
  'Returns status, timings, log paths and the final message. Shares the queue and limits of art_loop.run_codex_artist.';

/**
 * Creates the server with its three tools. Call `mcp.connect(transport)` to serve.
 */
export function createCodexChildServer(deps: ServerDeps): CodexChildServer {
  const semaphore = new FifoSemaphore(deps.config.maxConcurrency);
  const mcp = new McpServer({ name: SERVER_NAME, version: packageVersion() }, { capabilities: { tools: {} } });
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<CallToolResult>): Promise<CallToolResult> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };
  const runDeps = { config: deps.config, template: deps.template, semaphore, dirLocks: new KeyedMutex(), shutdown: deps.shutdown, log: deps.log };

  mcp.registerTool(
    TOOL_NAMES.runArtist,
    {
      title: 'Run the art-loop artist (Codex child)',
      description: ARTIST_DESCRIPTION,
      inputSchema: typedButUnchecked(runArtistInput),
      outputSchema: runArtistOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (args: unknown, extra) => track(runArtistTool(args, extra as ToolExtra, runDeps)),
  );

  mcp.registerTool(
    TOOL_NAMES.readTail,
    {
      title: 'Read the end of a run log',
      description: TAIL_DESCRIPTION,
      inputSchema: typedButUnchecked(readTailInput),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args: unknown) => readTailTool(args, deps.config),
  );

  mcp.registerTool(
    TOOL_NAMES.runTask,
    {
      title: 'Run a Codex child on any prompt',
      description: TASK_DESCRIPTION,
      inputSchema: typedButUnchecked(runTaskInput),
      outputSchema: runTaskOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    (args: unknown, extra) => track(runTaskTool(args, extra as ToolExtra, runDeps)),
  );

  return {
    mcp,
    semaphore,
    get inFlight() {
      return running.size;
    },
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
