/**
 * Wires the three tools into the SDK's low-level `Server` (official TypeScript SDK, public
 * `setRequestHandler` API) and keeps track of the calls in flight, so a shutdown can wait until
 * every child process group is gone. The `tools/call` handler is ours: arguments reach the tool
 * handlers unvalidated by the SDK, which refuse bad input with one-line texts (tool_schemas.ts).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from './config.js';
import { KeyedMutex } from './dir_locks.js';
import { FifoSemaphore } from './fifo_semaphore.js';
import type { LoadedTemplate } from './prompt_template.js';
import { packageVersion } from '../infrastructure/package_paths.js';
import { SERVER_CAPABILITIES, SERVER_NAME } from './server_identity.js';
import { refusal } from './tool_result.js';
import { readTailTool } from './read_tail_tool.js';
import type { ToolExtra } from './run_artist.js';
import {
  readTailInput,
  runArtistInput,
  runArtistOutput,
  runTaskInput,
  runTaskOutput,
  jsonSchemaOf,
  TOOL_NAMES,
} from './tool_schemas.js';

export { SERVER_NAME };

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
  mcp: Server;
  semaphore: FifoSemaphore;
  /** Calls in flight right now. */
  readonly inFlight: number;
  /** Resolves when every call in flight has finished (children stopped, artifacts written). */
  drain(): Promise<void>;
}

// The run path (adapter, execa, fast-glob, …) loads on the first run call, not at start-up: the
// host waits for `initialize` before its first model request.
const loadRunArtist = () => import('./run_artist.js');
const loadRunTask = () => import('./run_task.js');

/** Loads the run path in the background once serving, so the first run call does not wait for it. */
export function preloadRunPath(): void {
  void loadRunArtist().catch(() => undefined);
  void loadRunTask().catch(() => undefined);
}

const ARTIST_DESCRIPTION =
  'Run the `$grafix-art-loop-artist` skill once as an isolated Codex CLI child agent in one variant directory ' +
  '(<run_id>/iter_XX/vYY under the runs root, holding artist_context.json and creative_brief.json). The artist writes ' +
  'sketch.py, out.png, artifact.json, stdout.txt and stderr.txt there. Returns a short JSON result with status, timings ' +
  'and log PATHS (read them with the read_text_tail tool of this server). Calls beyond ART_LOOP_MAX_CONCURRENCY wait in a FIFO queue. ' +
  'artifact.json always exists afterwards (the server writes a failure Artifact if the artist did not).';

const TAIL_DESCRIPTION =
  'Return the last max_chars characters (default 4000) of a text file under the runs root, e.g. a codex_stderr.txt ' +
  'or stdout.txt path from the run_codex_artist tool of this server. A missing file gives "". Never waits behind running children.';

const TASK_DESCRIPTION =
  'Run any prompt with an isolated Codex CLI child agent (`codex exec -C workspace_dir`) under CODEX_CHILD_ROOT. ' +
  'Logs go to <workspace_dir>/.codex_child/<run_id>/ (codex_stdout.txt, codex_stderr.txt, codex_last_message.md). ' +
  'Returns status, timings, log paths and the final message. Shares the queue and limits of the run_codex_artist tool of this server.';

/**
 * Creates the server with its three tools. Call `mcp.connect(transport)` to serve.
 */
export function createCodexChildServer(deps: ServerDeps): CodexChildServer {
  const semaphore = new FifoSemaphore(deps.config.maxConcurrency);
  const mcp = new Server({ name: SERVER_NAME, version: packageVersion() }, { capabilities: structuredClone(SERVER_CAPABILITIES) });
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<CallToolResult>): Promise<CallToolResult> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };
  const runDeps = { config: deps.config, template: deps.template, semaphore, dirLocks: new KeyedMutex(), shutdown: deps.shutdown, log: deps.log };

  type Handler = (args: unknown, extra: ToolExtra) => Promise<CallToolResult>;
  const tools: { tool: Tool; handler: Handler }[] = [
    {
      tool: {
        name: TOOL_NAMES.runArtist,
        title: 'Run the art-loop artist (Codex child)',
        description: ARTIST_DESCRIPTION,
        inputSchema: jsonSchemaOf(runArtistInput, 'input') as Tool['inputSchema'],
        outputSchema: jsonSchemaOf(runArtistOutput, 'output') as Tool['outputSchema'],
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      },
      handler: (args, extra) => track(loadRunArtist().then((m) => m.runArtistTool(args, extra, runDeps))),
    },
    {
      tool: {
        name: TOOL_NAMES.readTail,
        title: 'Read the end of a run log',
        description: TAIL_DESCRIPTION,
        inputSchema: jsonSchemaOf(readTailInput, 'input') as Tool['inputSchema'],
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      handler: (args) => readTailTool(args, deps.config),
    },
    {
      tool: {
        name: TOOL_NAMES.runTask,
        title: 'Run a Codex child on any prompt',
        description: TASK_DESCRIPTION,
        inputSchema: jsonSchemaOf(runTaskInput, 'input') as Tool['inputSchema'],
        outputSchema: jsonSchemaOf(runTaskOutput, 'output') as Tool['outputSchema'],
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      },
      handler: (args, extra) => track(loadRunTask().then((m) => m.runTaskTool(args, extra, runDeps))),
    },
  ];
  const byName = new Map(tools.map((entry) => [entry.tool.name, entry]));

  mcp.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map((entry) => entry.tool) }));
  mcp.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const entry = byName.get(request.params.name);
    // Same protocol error as the SDK's McpServer for an unknown tool.
    if (entry === undefined) throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    try {
      return await entry.handler(request.params.arguments ?? {}, extra as unknown as ToolExtra);
    } catch (error) {
      // A bug in a handler: still a one-line tool error, as McpServer would give.
      return refusal(error instanceof Error ? error.message : String(error));
    }
  });

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
