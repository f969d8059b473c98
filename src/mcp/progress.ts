/**
 * `notifications/progress` for a tool call, sent only when the client asked for them with a
 * `progressToken` (MCP spec: progress must increase; `total` is unknown here, so omitted).
 * Milestones: queued (with position), started, each command the child runs, finished.
 */
import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';

/** The part of the SDK's handler `extra` this module needs. */
export interface ProgressExtra {
  _meta?: { progressToken?: string | number } & Record<string, unknown>;
  sendNotification: (notification: ServerNotification) => Promise<void>;
}

/**
 * Sends one progress message; a no-op when the client sent no token. The promise resolves once
 * the notification is handed to the transport (await the last one before returning the result:
 * the client drops progress that arrives after the response). Never rejects.
 */
export type ProgressReporter = (message: string) => Promise<void>;

/**
 * Pause after the final notification before the result goes out. The TypeScript SDK's client
 * handles notifications in a microtask but responses synchronously, so a progress notification
 * that arrives in the same read as the response finds its handler already removed and is dropped
 * ("unknown token"). A short gap lets the notification arrive on its own.
 */
export const FINAL_PROGRESS_GAP_MS = 50;

/** Longest message text sent (commands can be long). */
const MESSAGE_MAX = 300;

/** Creates the reporter of one call. */
export function progressReporter(extra: ProgressExtra): ProgressReporter & { final(message: string): Promise<void> } {
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
  /** The last notification of a call: sent, then {@link FINAL_PROGRESS_GAP_MS} of quiet. */
  const final = async (message: string): Promise<void> => {
    await report(message);
    await new Promise((resolve) => setTimeout(resolve, FINAL_PROGRESS_GAP_MS));
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
