/**
 * A stdio transport that can answer `initialize` before the MCP SDK has loaded.
 *
 * Loading the SDK (zod, ajv, zod-to-json-schema) costs a few hundred milliseconds on a loaded
 * machine, and codex sends its first model request without the tools when a server misses its
 * start-up grace. So the entry reads stdin at once; when the first message is `initialize`, it
 * answers with exactly what the SDK server would (same protocol-version rule, same capabilities;
 * test/unit/mcp/early_stdio.test.ts compares both) as soon as the configuration is checked. The
 * SDK loads only after that answer went out (evaluating its modules blocks the event loop). The
 * buffered messages are then replayed to the SDK server when it connects, and its own answer to
 * that `initialize` is dropped, so its state (client capabilities, protocol version) is the same
 * as if it had answered itself. Implements the SDK's public `Transport` interface; no SDK import.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Protocol versions of the pinned SDK, newest first (a unit test checks them against the SDK). */
export const SUPPORTED_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'] as const;

/** Largest message accepted, as the SDK's own stdio transport (its STDIO_DEFAULT_MAX_BUFFER_SIZE). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** What the server announces: name, version, capabilities. */
export interface ServerIdentity {
  name: string;
  version: string;
  capabilities: Record<string, unknown>;
}

type Id = string | number;
type Message = { jsonrpc?: unknown; id?: Id; method?: unknown; params?: { protocolVersion?: unknown } };

/** The `initialize` result the SDK's `Server` gives for `requestedVersion`. */
export function initializeResult(identity: ServerIdentity, requestedVersion: unknown): Record<string, unknown> {
  const protocolVersion = typeof requestedVersion === 'string' && (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(requestedVersion) ? requestedVersion : SUPPORTED_PROTOCOL_VERSIONS[0];
  return { protocolVersion, capabilities: identity.capabilities, serverInfo: { name: identity.name, version: identity.version } };
}

/** The transport. Create it first thing; it buffers stdin until the SDK server connects. */
export class EarlyStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Checks a message once the SDK is loaded (e.g. `JSONRPCMessageSchema.parse`); throws when invalid. */
  validate: ((message: unknown) => JSONRPCMessage) | undefined;

  private buffer = '';
  private readonly pending: unknown[] = [];
  private started = false;
  private answeredInitId: Id | undefined;
  private identity: ServerIdentity | undefined;
  /** Resolves the promise of answerInitializeEarly: answered, not an initialize, or stdin ended. */
  private settle: (() => void) | undefined;
  private readonly onData = (chunk: Buffer) => this.receive(chunk.toString('utf8'));
  private readonly onStdinError = (error: Error) => this.onerror?.(error);

  constructor(
    private readonly stdin: NodeJS.ReadableStream = process.stdin,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
  ) {
    stdin.on('data', this.onData);
    stdin.on('error', this.onStdinError);
  }

  /**
   * Allows the early answer. If `initialize` is already buffered (or arrives before the SDK
   * connects), it is answered now with `identity`.
   */
  answerInitializeEarly(identity: ServerIdentity): Promise<void> {
    this.identity = identity;
    const settled = new Promise<void>((resolve) => {
      this.settle = resolve;
    });
    this.stdin.once('end', () => this.settle?.());
    this.maybeAnswer();
    return settled;
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('EarlyStdioTransport already started');
    this.started = true;
    for (const message of this.pending.splice(0)) this.deliver(message);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const m = message as Message;
    // The SDK's own answer to the initialize we already answered: same content, drop it.
    if (this.answeredInitId !== undefined && m.id === this.answeredInitId && m.method === undefined) {
      this.answeredInitId = undefined;
      return;
    }
    await this.write(message);
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.onData);
    this.stdin.off('error', this.onStdinError);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.buffer = '';
    this.onclose?.();
  }

  private write(message: unknown): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }

  private receive(text: string): void {
    this.buffer += text;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim() === '') continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch (error) {
        this.onerror?.(error as Error);
        continue;
      }
      if (this.started) this.deliver(message);
      else {
        this.pending.push(message);
        this.maybeAnswer();
      }
    }
    // An unterminated message past the limit would grow without bound: fail the transport, as
    // the SDK's stdio transport does, so the server logs it and stops its runs.
    if (this.buffer.length > MAX_MESSAGE_BYTES) {
      this.onerror?.(new Error(`ReadBuffer exceeded maximum size of ${MAX_MESSAGE_BYTES} bytes`));
      void this.close();
      return;
    }
  }

  private deliver(message: unknown): void {
    try {
      const checked = this.validate ? this.validate(message) : (message as JSONRPCMessage);
      this.onmessage?.(checked);
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  private maybeAnswer(): void {
    if (this.identity === undefined || this.started || this.answeredInitId !== undefined) return;
    const first = this.pending[0] as Message | undefined;
    if (first === undefined) return;
    if (first.jsonrpc !== '2.0' || first.method !== 'initialize' || first.id === undefined) {
      this.settle?.();
      return;
    }
    this.answeredInitId = first.id;
    void this.write({ jsonrpc: '2.0', id: first.id, result: initializeResult(this.identity, first.params?.protocolVersion) }).then(() => this.settle?.());
  }
}
