/**
 * A loopback fake of the Anthropic Messages API, enough for Claude Code in `-p` mode: every
 * `POST /v1/messages` (streamed or not) gets a scripted reply. When the request offers the tool
 * `toolName` and carries no tool result yet, the reply calls it with `input`; once a tool result is
 * there, the reply is `TOOL SAID: <result>`; anything else gets `ok`. 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded request. */
export interface AnthropicRequest {
  url: string;
  toolNames: string[];
  toolResults: unknown[];
}

/** The running fake. */
export interface FakeAnthropic {
  url: string;
  requests: AnthropicRequest[];
  close(): Promise<void>;
}

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

/** Starts the fake on 127.0.0.1 (random port). */
export async function startFakeAnthropic(toolName: string, input: unknown): Promise<FakeAnthropic> {
  const requests: AnthropicRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      let json: { tools?: { name: string }[]; messages?: { content?: unknown }[]; stream?: boolean; model?: string } = {};
      try {
        json = JSON.parse(body) as typeof json;
      } catch {
        // not JSON (a connectivity probe)
      }
      const last = json.messages?.at(-1)?.content;
      const toolResults = Array.isArray(last) ? last.filter((c: { type?: string }) => c.type === 'tool_result') : [];
      const toolNames = (json.tools ?? []).map((t) => t.name);
      requests.push({ url: req.url ?? '', toolNames, toolResults });
      if (!(req.url ?? '').startsWith('/v1/messages') || (req.url ?? '').includes('count_tokens')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: 10 }));
        return;
      }
      const blocks: Block[] =
        toolResults.length > 0
          ? [{ type: 'text', text: `TOOL SAID: ${JSON.stringify((toolResults[0] as { content?: unknown }).content)}` }]
          : toolNames.includes(toolName)
            ? [{ type: 'tool_use', id: `toolu_fake_${requests.length}`, name: toolName, input }]
            : [{ type: 'text', text: 'ok' }];
      const stopReason = blocks[0]?.type === 'tool_use' ? 'tool_use' : 'end_turn';
      const message = { id: `msg_fake_${requests.length}`, type: 'message', role: 'assistant', model: json.model ?? 'claude-fake', content: blocks, stop_reason: stopReason, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 } };
      if (json.stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(message));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      send('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null } });
      blocks.forEach((block, index) => {
        if (block.type === 'text') {
          send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
          send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } });
        } else {
          send('content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } });
          send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
        }
        send('content_block_stop', { type: 'content_block_stop', index });
      });
      send('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 5 } });
      send('message_stop', { type: 'message_stop' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
