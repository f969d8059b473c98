/**
 * Starts the built MCP server (`bin/codex-child-mcp`) over stdio like a host does and connects an
 * SDK client to it: the one copy of that code for the e2e tests. The server's stderr is collected
 * (it is the only place its diagnostics go; stdout is the protocol).
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { REPO_ROOT } from './wrapper_harness.js';

/** The server's front door, as a host starts it. */
export const MCP_BIN = path.join(REPO_ROOT, 'bin', 'codex-child-mcp');

/** A running server with a connected client. */
export interface McpServerProcess {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** Closes the client (ends the server's stdin; the SDK sends SIGTERM if it lingers). */
  close(): Promise<void>;
}

/** How to start one server. */
export interface McpServerOptions {
  /** The server's working directory (its default repository root). */
  cwd: string;
  /** The server's whole environment (not merged with this process's). */
  env: Record<string, string>;
  /** The client's name in `initialize`. */
  clientName: string;
}

/** Spawns the server, connects (initialize handshake) and returns it. */
export async function startMcpServer(options: McpServerOptions): Promise<McpServerProcess> {
  const transport = new StdioClientTransport({ command: MCP_BIN, args: [], cwd: options.cwd, stderr: 'pipe', env: options.env });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: options.clientName, version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}
