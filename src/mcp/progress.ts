/**
 * `notifications/progress` for a tool call, sent only when the client asked for them with a
 * `progressToken` (MCP spec: progress must increase; `total` is unknown here, so omitted).
 * Milestones: queued (with position), started, each command the child runs, finished.
 */
import { EmptyResultSchema, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** The part of the SDK's handler `extra` this module needs. */
export interface ProgressExtra {
  _meta?: { progressToken?: string | number } & Record<string, unknown>;
  sendNotification: (notification: ServerNotification) => Promise<void>;
  /** Aborted when the client cancels the call or the connection closes. */
  signal?: AbortSignal;
  /** Sends a request to the client and waits for its answer (the SDK's `extra.sendRequest`). */
  sendRequest?: (request: ServerRequest, resultSchema: typeof EmptyResultSchema, options?: { timeout?: number; signal?: AbortSignal }) => Promise<unknown>;
}

/**
 * Sends one progress message; a no-op when the client sent no token. The promise resolves once
 * the notification is handed to the transport. Never rejects.
 */
export type ProgressReporter = (message: string) => Promise<void>;

/**
 * Longest wait for the client's answer to the ping after the final notification. Only a client
 * that ignores pings (the MCP spec says it must answer) ever waits this long.
 */
export const FINAL_PING_TIMEOUT_MS = 10_000;

/** Longest message text sent (commands can be long). */
const MESSAGE_MAX = 300;

/**
 * Creates the reporter of one call. `shutdown` (the server's) ends the final ping wait at once:
 * nobody reads the result of a call the server is stopping.
 */
export function progressReporter(extra: ProgressExtra, shutdown?: AbortSignal): ProgressReporter & { final(message: string): Promise<void> } {
  const token = extra._meta?.progressToken;
  if (token === undefined) return Object.assign(() => Promise.resolve(), { final: () => Promise.resolve() });
  let progress = 0;
  let previous: Promise<void> = Promise.resolve();
  const report = (message: string): Promise<void> => {
    progress += 1;
    const params = { progressToken: token, progress, message: message.length > MESSAGE_MAX ? `${message.slice(0, MESSAGE_MAX - 1)}…` : message };
    // Chained, so notifications leave in order; a closed transport must not fail the run.
    previous = previous.then(() => extra.sendNotification({ method: 'notifications/progress', params })).catch(() => undefined);
    return previous;
  };
  /**
   * The last notification of a call: sent, then a `ping` to the client, answered. The TypeScript
   * SDK's client runs notification handlers in a microtask but settles responses synchronously, so
   * progress read in the same chunk as the response would find its handler gone and be dropped.
   * The client handles messages in order, so once it has answered the ping it has handled the
   * notification, and the result may go out. An error answer proves the same; no answer at all
   * (a client breaking the spec) ends the wait after {@link FINAL_PING_TIMEOUT_MS}; a cancelled
   * call or a server shutdown ends it at once.
   */
  const final = async (message: string): Promise<void> => {
    await report(message);
    const stop = AbortSignal.any([extra.signal, shutdown].filter((signal): signal is AbortSignal => signal !== undefined));
    if (stop.aborted || extra.sendRequest === undefined) return;
    await extra.sendRequest({ method: 'ping' }, EmptyResultSchema, { timeout: FINAL_PING_TIMEOUT_MS, signal: stop }).catch(() => undefined);
  };
  return Object.assign(report, { final });
}

/**
 * A progress message for a codex JSON event, or null when the event is not a milestone. Command
 * starts are reported (`running: <command>`), and their completion with the exit code.
 */
export function eventProgressMessage(event: Record<string, unknown>): string | null {
  const item = event.item as Record<string, unknown> | undefined;
  if (item?.type !== 'command_execution') return null;
  const command = typeof item.command === 'string' ? item.command : '';
  if (event.type === 'item.started') return `running: ${command}`;
  if (event.type === 'item.completed') return `command finished (exit ${typeof item.exit_code === 'number' ? item.exit_code : '?'}): ${command}`;
  return null;
}
