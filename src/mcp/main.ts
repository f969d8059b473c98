/**
 * `bin/codex-child-mcp`: the stdio MCP server. stdout carries only the protocol; every log line
 * goes to stderr. Start-up problems (bad ART_LOOP_MAX_CONCURRENCY, unreadable template, …) print
 * one line and exit 2. When stdin closes or a SIGTERM/SIGINT/SIGHUP arrives, queued calls are
 * dropped, running children's process groups get SIGTERM then SIGKILL, and the server exits once
 * they are gone.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadServerConfig } from './config.js';
import { SHUTDOWN_REASON } from './child_run.js';
import { loadArtistTemplate } from './prompt_template.js';
import { createCodexChildServer, SERVER_NAME } from './server.js';
import { HANDLED_SIGNALS, signalExitCode } from '../infrastructure/process/signals.js';

/** Exit codes of the process. */
export const MCP_EXIT = { ok: 0, startup: 2 } as const;


function logLine(line: string): void {
  process.stderr.write(`[${SERVER_NAME}] ${line}\n`);
}

/** Longest wait for running children after a shutdown request before exiting anyway. */
const DRAIN_LIMIT_EXTRA_MS = 10_000;

/** Starts the server on stdio. Resolves once it is serving; the process exits on shutdown. */
export async function main(): Promise<void> {
  const loaded = await loadServerConfig(process.env, process.cwd()).catch((error: unknown) => ({
    ok: false as const,
    message: error instanceof Error ? error.message : String(error),
  }));
  if (!loaded.ok) {
    logLine(`cannot start: ${loaded.message}`);
    process.exit(MCP_EXIT.startup);
  }
  const { config } = loaded;
  const template = await loadArtistTemplate(config.promptTemplatePath);
  if (typeof template === 'string') {
    logLine(`cannot start: ${template}`);
    process.exit(MCP_EXIT.startup);
  }

  const shutdown = new AbortController();
  const server = createCodexChildServer({ config, template, shutdown: shutdown.signal, log: logLine });
  const transport = new StdioServerTransport();

  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logLine(`${why}: stopping ${server.inFlight} call(s) in flight`);
    shutdown.abort(SHUTDOWN_REASON);
    const limit = setTimeout(() => {
      logLine('children did not stop in time; exiting anyway');
      process.exit(code);
    }, config.killGraceMs + DRAIN_LIMIT_EXTRA_MS);
    limit.unref();
    void server
      .drain()
      .then(() => server.mcp.close().catch(() => undefined))
      .finally(() => process.exit(code));
  };
  process.stdin.once('end', () => stop('stdin closed', MCP_EXIT.ok));
  process.stdin.once('close', () => stop('stdin closed', MCP_EXIT.ok));
  for (const name of HANDLED_SIGNALS) process.on(name, () => stop(name, signalExitCode(name) as number));
  // A client that vanishes makes stdout writes fail with EPIPE: treat it like a closed stdin.
  process.stdout.on('error', () => stop('stdout closed', MCP_EXIT.ok));
  // The SDK closes the transport itself on a fatal read error (a message above its 10 MiB buffer):
  // that is a shutdown too, logged with its cause, never a silent exit that leaves runs behind.
  let transportError = '';
  server.mcp.server.onerror = (error) => {
    transportError = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    logLine(`transport error: ${transportError}`);
  };
  server.mcp.server.onclose = () => stop(transportError === '' ? 'transport closed' : `transport closed after an error (${transportError})`, MCP_EXIT.ok);

  await server.mcp.connect(transport);
  logLine(
    `ready: repo_root=${config.repoRoot} runs_root=${config.runsRoot} child_root=${config.childRoot} ` +
      `max_concurrency=${config.maxConcurrency} sandbox=${config.sandbox} workdir=${config.artistWorkdir} template=${config.promptTemplatePath}`,
  );
}
