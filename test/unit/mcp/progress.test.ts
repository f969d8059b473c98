/** Progress notifications: only with a token, increasing, in order, command milestones. */
import { describe, expect, it } from 'vitest';
import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { eventProgressMessage, progressReporter } from '../../../src/mcp/progress.js';

function fakeExtra(token?: string | number) {
  const sent: ServerNotification[] = [];
  const extra = {
    ...(token === undefined ? {} : { _meta: { progressToken: token } }),
    sendNotification: async (n: ServerNotification) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      sent.push(n);
    },
  };
  return { extra, sent };
}

describe('progressReporter', () => {
  it('sends nothing without a progress token', async () => {
    const { extra, sent } = fakeExtra();
    const report = progressReporter(extra);
    await report('started');
    await report.final('finished: success');
    expect(sent).toEqual([]);
  });

  it('sends increasing progress in call order and waits for the last one', async () => {
    const { extra, sent } = fakeExtra('tok-1');
    const report = progressReporter(extra);
    void report('queued (position 2)');
    void report('queued (position 1)');
    void report('started');
    await report.final('finished: failed');
    expect(sent.map((n) => n.params)).toEqual([
      { progressToken: 'tok-1', progress: 1, message: 'queued (position 2)' },
      { progressToken: 'tok-1', progress: 2, message: 'queued (position 1)' },
      { progressToken: 'tok-1', progress: 3, message: 'started' },
      { progressToken: 'tok-1', progress: 4, message: 'finished: failed' },
    ]);
    expect(sent.every((n) => n.method === 'notifications/progress')).toBe(true);
  });

  it('final: the result waits until the client has answered a ping sent after the last notification', async () => {
    const log: string[] = [];
    let answer: (() => void) | undefined;
    const extra = {
      _meta: { progressToken: 'tok-2' },
      sendNotification: async (n: ServerNotification) => void log.push(`notify ${(n.params as { message: string }).message}`),
      sendRequest: (request: { method: string }) => {
        log.push(`request ${request.method}`);
        return new Promise<unknown>((resolve) => (answer = () => resolve({})));
      },
    };
    let finished = false;
    const done = progressReporter(extra).final('finished: success').then(() => (finished = true));
    for (let i = 0; i < 20 && answer === undefined; i += 1) await Promise.resolve();
    expect(log).toEqual(['notify finished: success', 'request ping']);
    expect(finished).toBe(false);
    answer?.();
    await done;
    expect(finished).toBe(true);
  });

  it('final: an error answer to the ping, no token, or a server shutdown lets the result go without waiting', async () => {
    const pinged: string[] = [];
    const failing = { _meta: { progressToken: 3 }, sendNotification: async () => undefined, sendRequest: async () => Promise.reject(new Error('Method not found')) };
    await expect(progressReporter(failing).final('finished: failed')).resolves.toBeUndefined();
    const noToken = { sendNotification: async () => undefined, sendRequest: async (r: { method: string }) => void pinged.push(r.method) };
    await progressReporter(noToken).final('finished: success');
    expect(pinged).toEqual([]);
    // A call the server is stopping: nobody reads its result, so no ping and no wait.
    const stopping = new AbortController();
    stopping.abort();
    await progressReporter({ ...noToken, _meta: { progressToken: 4 } }, stopping.signal).final('finished: failed');
    expect(pinged).toEqual([]);
  });

  it('never rejects when the transport fails, and caps long messages', async () => {
    const extra = { _meta: { progressToken: 7 }, sendNotification: async () => Promise.reject(new Error('closed')) };
    const report = progressReporter(extra);
    await expect(report('x'.repeat(1000))).resolves.toBeUndefined();
    const { extra: ok, sent } = fakeExtra(1);
    await progressReporter(ok)('y'.repeat(1000));
    expect((sent[0]?.params as { message: string }).message).toHaveLength(300);
  });
});

describe('eventProgressMessage', () => {
  it('reports command starts and ends, nothing else', () => {
    expect(eventProgressMessage({ type: 'item.started', item: { type: 'command_execution', command: 'ls' } })).toBe('running: ls');
    expect(eventProgressMessage({ type: 'item.completed', item: { type: 'command_execution', command: 'ls', exit_code: 2 } })).toBe('command finished (exit 2): ls');
    expect(eventProgressMessage({ type: 'item.completed', item: { type: 'agent_message', text: 'hi' } })).toBeNull();
    expect(eventProgressMessage({ type: 'turn.completed' })).toBeNull();
  });
});
