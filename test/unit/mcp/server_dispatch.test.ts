/**
 * The server's own tools/call dispatch (low-level SDK Server): one-line refusals from our checks,
 * never the SDK's `Input validation error`, and the SDK's protocol error for an unknown tool.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/mcp/config.js';
import { createCodexChildServer, type CodexChildServer } from '../../../src/mcp/server.js';

const config = { repoRoot: '/r', runsRoot: '/r/runs', childRoot: '/r', maxConcurrency: 1, sandbox: 'read-only', python: 'python3', promptTemplatePath: '/t', artistWorkdir: 'variant', allowSlashTmp: false, killGraceMs: 100, env: {} } as ServerConfig;
let server: CodexChildServer;
let client: Client;

async function connect(): Promise<Client> {
  server = createCodexChildServer({ config, template: { text: '', path: '/t' }, shutdown: new AbortController().signal, log: () => undefined });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.mcp.connect(b);
  client = new Client({ name: 't', version: '1' });
  await client.connect(a);
  return client;
}
afterEach(async () => {
  await client?.close();
  await server?.mcp.close();
});

describe('tools/call dispatch', () => {
  it('refuses bad arguments with the one-line texts, as tool errors', async () => {
    const c = await connect();
    const cases: [string, Record<string, unknown>, string][] = [
      ['art_loop.run_codex_artist', {}, 'variant_dir is required'],
      ['art_loop.run_codex_artist', { variant_dir: 'x', timeout_s: 1.5 }, 'timeout_s must be a positive integer'],
      ['art_loop.read_text_tail', { path: 'a', max_chars: '9' }, 'max_chars must be a positive integer'],
      ['codex.run_task', { workspace_dir: 'w', prompt: 'p' }, 'timeout_s is required'],
    ];
    for (const [name, args, text] of cases) {
      const result = await c.callTool({ name, arguments: args });
      expect(result, name).toEqual({ content: [{ type: 'text', text }], isError: true });
    }
  });

  it('answers an unknown tool with the protocol error the SDK uses', async () => {
    const c = await connect();
    await expect(c.callTool({ name: 'nope', arguments: {} })).rejects.toThrow(/MCP error -32602: Tool nope not found/);
  });

  it('lists the output schemas with reason and base-name cross references', async () => {
    const c = await connect();
    const { tools } = await c.listTools();
    const artist = tools.find((t) => t.name === 'art_loop.run_codex_artist');
    expect((artist?.outputSchema as { required: string[] }).required).toContain('reason');
    for (const tool of tools) expect(tool.description).not.toMatch(/art_loop\.|codex\.run_task/);
    expect(artist?.description).toContain('read_text_tail tool');
  });
});
