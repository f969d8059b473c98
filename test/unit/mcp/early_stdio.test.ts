/**
 * The early `initialize` answer must be what the SDK server itself answers (same protocol-version
 * rule, capabilities, server info), and the SDK must end up initialized with the client's data.
 */
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SUPPORTED_PROTOCOL_VERSIONS as SDK_VERSIONS, JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { EarlyStdioTransport, SUPPORTED_PROTOCOL_VERSIONS } from '../../../src/mcp/early_stdio.js';
import { createCodexChildServer } from '../../../src/mcp/server.js';
import { serverIdentity } from '../../../src/mcp/server_identity.js';
import type { ServerConfig } from '../../../src/mcp/config.js';

const config = { repoRoot: '/r', runsRoot: '/r/runs', childRoot: '/r', maxConcurrency: 1, sandbox: 'read-only', python: 'python3', promptTemplatePath: '/t', artistWorkdir: 'variant', allowSlashTmp: false, killGraceMs: 100, env: {} } as ServerConfig;
const makeServer = () => createCodexChildServer({ config, template: { text: '', path: '/t' } as never, shutdown: new AbortController().signal, log: () => undefined });
const initRequest = (id: number, protocolVersion: string) => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion, capabilities: { roots: {} }, clientInfo: { name: 'probe', version: '9' } } });

/** What the SDK server answers to `request` over an in-memory transport. */
async function sdkAnswer(request: Record<string, unknown>): Promise<unknown> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = makeServer();
  await server.mcp.connect(serverSide);
  const answer = new Promise<unknown>((resolve) => {
    clientSide.onmessage = (message) => resolve(message);
  });
  await clientSide.start();
  await clientSide.send(request as never);
  const result = await answer;
  await server.mcp.close();
  return result;
}

/** Runs the early transport over in-process streams; returns the lines it wrote. */
function earlyWorld() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines: unknown[] = [];
  let text = '';
  stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      lines.push(JSON.parse(text.slice(0, nl)));
      text = text.slice(nl + 1);
    }
  });
  return { stdin, stdout, lines, transport: new EarlyStdioTransport(stdin, stdout) };
}

describe('EarlyStdioTransport', () => {
  it('knows the SDK’s protocol versions', () => {
    expect([...SUPPORTED_PROTOCOL_VERSIONS]).toEqual([...SDK_VERSIONS]);
  });

  for (const version of ['2025-06-18', '2024-11-05', '1999-01-01']) {
    it(`answers initialize (${version}) exactly as the SDK server does, before the SDK connects`, async () => {
      const world = earlyWorld();
      world.stdin.write(`${JSON.stringify(initRequest(7, version))}\n`);
      await world.transport.answerInitializeEarly(serverIdentity());
      expect(world.lines).toEqual([await sdkAnswer(initRequest(7, version))]);
    });
  }

  it('hands the buffered initialize to the SDK server, drops its duplicate answer, then serves normally', async () => {
    const world = earlyWorld();
    world.transport.validate = (m) => JSONRPCMessageSchema.parse(m);
    world.stdin.write(`${JSON.stringify(initRequest(1, '2025-06-18'))}\n`);
    await world.transport.answerInitializeEarly(serverIdentity());
    const server = makeServer();
    await server.mcp.connect(world.transport);
    world.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    world.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} })}\n`);
    await new Promise<void>((resolve) => {
      const check = () => (world.lines.length >= 2 ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(world.lines).toHaveLength(2);
    expect(world.lines[0]).toMatchObject({ id: 1, result: { protocolVersion: '2025-06-18' } });
    expect(world.lines[1]).toMatchObject({ id: 2, result: { tools: expect.any(Array) } });
    expect(server.mcp.getClientVersion()).toEqual({ name: 'probe', version: '9' });
    expect(server.mcp.getClientCapabilities()).toEqual({ roots: {} });
    await server.mcp.close();
  });

  it('does not answer early when the first message is not initialize', async () => {
    const world = earlyWorld();
    world.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })}\n`);
    await world.transport.answerInitializeEarly(serverIdentity());
    expect(world.lines).toEqual([]);
  });

  it('a real SDK client connects through it', async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const transport = new EarlyStdioTransport(toServer, toClient);
    const clientTransport: Transport = {
      async start() {
        let text = '';
        toClient.on('data', (c: Buffer) => {
          text += c.toString('utf8');
          for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
            this.onmessage?.(JSON.parse(text.slice(0, nl)) as JSONRPCMessage);
            text = text.slice(nl + 1);
          }
        });
      },
      async send(m) {
        toServer.write(`${JSON.stringify(m)}\n`);
      },
      async close() {
        this.onclose?.();
      },
    };
    const client = new Client({ name: 'c', version: '1' });
    const connecting = client.connect(clientTransport);
    await transport.answerInitializeEarly(serverIdentity());
    const server = makeServer();
    await server.mcp.connect(transport);
    await connecting;
    expect(client.getServerVersion()).toMatchObject({ name: 'codex-child-mcp' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['art_loop.read_text_tail', 'art_loop.run_codex_artist', 'codex.run_task']);
    await client.close();
    await server.mcp.close();
  });
});
