/**
 * Follows a growing JSONL file (codex's stdout log) while the run is going, handing each complete
 * line to a callback. Used for live progress (the MCP server's notifications). Polling keeps it
 * portable and cheap: one small read per interval, only of the bytes that were appended.
 */
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** A running follower; `stop()` reads what is left, then resolves. */
export interface EventFollower {
  stop(): Promise<void>;
}

/**
 * @param file the file to follow (it may not exist yet).
 * @param onLine called with each complete line, in order.
 * @param intervalMs polling interval.
 */
export function followLines(file: string, onLine: (line: string) => void, intervalMs = 100): EventFollower {
  let offset = 0;
  let pending = '';
  // One decoder for the whole file: a character split across two reads is decoded whole.
  const decoder = new StringDecoder('utf8');
  let stopped = false;
  let reading: Promise<void> = Promise.resolve();

  const readNew = async () => {
    const handle = await open(file, 'r').catch(() => null);
    if (handle === null) return;
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        pending += decoder.write(buffer.subarray(0, bytesRead));
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      }
    } finally {
      await handle.close();
    }
  };

  const timer = setInterval(() => {
    reading = reading.then(readNew).catch(() => undefined);
  }, intervalMs);

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await reading;
      await readNew().catch(() => undefined);
      pending += decoder.end();
      if (pending !== '') onLine(pending);
    },
  };
}
