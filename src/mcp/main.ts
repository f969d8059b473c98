/**
 * `bin/codex-child-mcp`: the stdio MCP server. stdout carries only the protocol; every log line
 * goes to stderr. Start-up problems (bad ART_LOOP_MAX_CONCURRENCY, unreadable template, …) print
 * one line and exit 2. When stdin closes or a SIGTERM/SIGINT/SIGHUP arrives, queued calls are
 * dropped, running children's process groups get SIGTERM then SIGKILL, and the server exits once
 * they are gone.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { EarlyStdioTransport } from './early_stdio.js';
import { SHUTDOWN_REASON } from './shutdown_reason.js';
import { createCodexChildServer, preloadRunPath } from './server.js';
import { logLine, MCP_EXIT, prepareServer, type Prepared } from './startup.js';
import { HANDLED_SIGNALS, signalExitCode } from '../infrastructure/process/signals.js';

export { MCP_EXIT };

/** Options of {@link main} (the entry passes what it prepared before the SDK loaded). */
export interface MainOptions {
  prepared?: Prepared;
  transport?: Transport;
}

/** Longest wait for running children after a shutdown request before exiting anyway. */
const DRAIN_LIMIT_EXTRA_MS = 10_000;

/** Starts the server on stdio. Resolves once it is serving; the process exits on shutdown. */
export async function main(options: MainOptions = {}): Promise<void> {
  const { config, template } = options.prepared ?? (await prepareServer());

  const shutdown = new AbortController();
  const server = createCodexChildServer({ config, template, shutdown: shutdown.signal, log: logLine });
  const transport = options.transport ?? new StdioServerTransport();
  if (transport instanceof EarlyStdioTransport) transport.validate = (message) => JSONRPCMessageSchema.parse(message);

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
  // stdin is read from the first moment (early initialize); it may have ended before this point.
  if (process.stdin.readableEnded) stop('stdin closed', MCP_EXIT.ok);
  for (const name of HANDLED_SIGNALS) process.on(name, () => stop(name, signalExitCode(name) as number));
  // A client that vanishes makes stdout writes fail with EPIPE: treat it like a closed stdin.
  process.stdout.on('error', () => stop('stdout closed', MCP_EXIT.ok));
  // The SDK closes the transport itself on a fatal read error (a message above its 10 MiB buffer):
  // that is a shutdown too, logged with its cause, never a silent exit that leaves runs behind.
  let transportError = '';
  server.mcp.onerror = (error: unknown) => {
    transportError = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    logLine(`transport error: ${transportError}`);
  };
  server.mcp.onclose = () => stop(transportError === '' ? 'transport closed' : `transport closed after an error (${transportError})`, MCP_EXIT.ok);

  await server.mcp.connect(transport);
  preloadRunPath();
  logLine(
    `ready: repo_root=${config.repoRoot} runs_root=${config.runsRoot} child_root=${config.childRoot} ` +
      `max_concurrency=${config.maxConcurrency} sandbox=${config.sandbox} workdir=${config.artistWorkdir} template=${config.promptTemplatePath}`,
  );
}
