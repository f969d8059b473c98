/**
 * runStreamed at unit level. The module has no seam to feed it events (its channel is private and
 * it always runs the real run path), so this file covers what ends before codex starts: an input
 * of the wrong shape, a bad payload, a missing project dir. The events iteration then ends with no
 * event, `result` carries the typed error, and leaving the loop early settles cleanly. Event
 * streaming itself is covered with the real codex in test/e2e/run_streamed.test.ts.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStreamed, type StreamedRunInput } from '../../../../../src/infrastructure/adapter/codex/run_streamed.js';
import type { ThreadEvent } from '../../../../../src/infrastructure/adapter/codex/codex_event_types.js';

let root: string;
let env: Record<string, string>;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'run-streamed-')));
  // A codex that exists but is never reached: every case here fails before the executor.
  env = { PATH: process.env.PATH ?? '', HOME: root, TMPDIR: root, CODEX_BIN: process.execPath, CODEX_API_KEY: 'sk-fake-unit', TARGET_PROJECT_DIR: root };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function drain(events: AsyncIterable<ThreadEvent>): Promise<ThreadEvent[]> {
  const seen: ThreadEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('runStreamed before codex starts', () => {
  it.each([[42], [null], [{}], [{ prompt: 7 }], [{ payload: { mode: 'plan' } }]])('an input of the wrong shape (%j) is an invalid_option outcome with no events', async (input) => {
    const { events, result } = runStreamed(input as unknown as StreamedRunInput, { env, display: 'ignore' });
    expect(await drain(events)).toEqual([]);
    const outcome = await result;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.reason).toBe('invalid_option');
      expect(outcome.error.message).toBe('runStreamed needs a prompt string, { prompt: string } or { payload: Uint8Array | string }');
      expect(outcome.error.exitCode).toBe(2);
    }
  });

  it('a payload that is not JSON ends the events at once; result is the validator error', async () => {
    const { events, result } = runStreamed({ payload: Buffer.from('{not json') }, { env, display: 'ignore' });
    expect(await drain(events)).toEqual([]);
    const outcome = await result;
    expect(outcome.ok ? null : outcome.error.reason).toBe('invalid_json');
  });

  it('a prompt for a missing project dir: project_dir_not_found, for a string and for { prompt }', async () => {
    for (const input of ['do it', { prompt: 'do it' }] as const) {
      const { events, result } = runStreamed(input, { env: { ...env, TARGET_PROJECT_DIR: path.join(root, 'missing') }, display: 'ignore' });
      expect(await drain(events)).toEqual([]);
      const outcome = await result;
      expect(outcome.ok ? null : outcome.error.reason).toBe('project_dir_not_found');
    }
  });

  it('leaving the loop at once (return) waits for the run to settle and ends the iteration', async () => {
    const { events, result } = runStreamed({ payload: '' }, { env, display: 'ignore' });
    expect(await events.return?.()).toEqual({ done: true, value: undefined });
    expect(await events.next()).toEqual({ done: true, value: undefined });
    const outcome = await result;
    expect(outcome.ok ? null : outcome.error.reason).toBe('empty_stdin');
  });

  it('throw() settles the run and rethrows the given error', async () => {
    const { events, result } = runStreamed({ payload: '' }, { env, display: 'ignore' });
    const boom = new Error('from the loop body');
    await expect(events.throw?.(boom)).rejects.toBe(boom);
    expect((await result).ok).toBe(false);
  });

  it('a caller signal aborted before the start does not hang a run that fails before codex', async () => {
    const controller = new AbortController();
    controller.abort();
    const { events, result } = runStreamed({ payload: '[]' }, { env, display: 'ignore', signal: controller.signal });
    expect(await drain(events)).toEqual([]);
    expect((await result).ok).toBe(false);
  });
});
