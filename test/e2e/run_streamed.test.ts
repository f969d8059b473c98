/**
 * runStreamed end to end: the real codex binary against the loopback fake model streams every event
 * of its `--json` stdout, typed and in order, then the outcome; leaving the loop early kills the run
 * and nothing of it survives. The recording fake codex replays hand-made streams for the shapes a
 * real codex does not emit on demand (unknown event and item types, noise lines).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventLine, runCodexPrompt, runStreamed, runTeammatePayload, type CodexRunOutcome, type ThreadEvent } from '../../src/index.js';
import { commandLine, processesWithEnv, waitFor } from '../support/process_probe.js';
import { executePayload, REPO_ROOT, startCodexWorld, type CodexWorld } from '../support/wrapper_harness.js';

let world: CodexWorld;
beforeAll(async () => {
  world = await startCodexWorld();
});
afterAll(() => world.close());

const MARK = 'CODEX_CHILD_STREAM_MARK';

/** A per-test env with its own process marker and TMPDIR, and probes for what is left of the run. */
function markedEnv(extra: Record<string, string> = {}) {
  const mark = randomUUID();
  const tmp = path.join(world.home.root, `tmp-${mark}`);
  mkdirSync(tmp);
  const env = { ...world.env, [MARK]: mark, TMPDIR: tmp, CODEX_STREAM_LOGS: '0', ...extra };
  const survivors = () => processesWithEnv(MARK, mark).map((pid) => `${pid}: ${commandLine(pid)}`);
  // Kept logs, so the adapter's own temp dir does not land in the system /tmp, which
  // isolated_runs.test.ts watches while this file runs in parallel.
  const logDir = mkdirAndReturn(path.join(world.home.root, `logs-${mark}`));
  return { env, tmp, survivors, logDir };
}

function mkdirAndReturn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

const sleepRunning = (f: ReturnType<typeof markedEnv>) => f.survivors().some((line) => line.endsWith(': sleep 30'));

/** Tracks whether a promise has settled, without changing it. */
function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

const isCommandStart = (event: ThreadEvent) => event.type === 'item.started' && event.item.type === 'command_execution';

describe('runStreamed with the real codex binary', () => {
  it('streams every event of the stdout log, typed and in order, ends after the last one, then gives the outcome', async () => {
    const logDir = path.join(world.home.root, `stream-logs-${randomUUID()}`);
    mkdirSync(logDir);
    const { events, result } = runStreamed({ payload: executePayload('demo') }, { env: world.env, display: 'ignore', logDir });
    const isSettled = settledFlag(result);
    const seen: ThreadEvent[] = [];
    const settledWhenSeen: boolean[] = [];
    for await (const event of events) {
      seen.push(event);
      settledWhenSeen.push(isSettled());
    }
    const outcome = await result;
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;

    const logged = readFileSync(path.join(logDir, 'codex_stdout.jsonl'), 'utf8')
      .split('\n')
      .map(parseEventLine)
      .filter((event) => event !== null);
    expect(logged.length).toBeGreaterThanOrEqual(8);
    expect(seen).toEqual(logged);
    // The iteration is over only when the run is: no event is delivered after the outcome exists.
    expect(settledWhenSeen.every((settled) => !settled)).toBe(true);

    expect(seen[0]).toEqual({ type: 'thread.started', thread_id: outcome.value.threadId });
    expect(seen.at(-1)).toMatchObject({ type: 'turn.completed', usage: outcome.value.usage });
    const command = seen.filter((event) => isCommandStart(event) || (event.type === 'item.completed' && event.item.type === 'command_execution'));
    expect(command.map((event) => (event.type === 'item.started' || event.type === 'item.completed') && event.item.type === 'command_execution' && [event.type, event.item.exit_code])).toEqual([
      ['item.started', null],
      ['item.completed', 0],
    ]);
    const lastMessage = seen.filter((event) => event.type === 'item.completed' && event.item.type === 'agent_message').at(-1);
    expect(lastMessage?.type === 'item.completed' && lastMessage.item.type === 'agent_message' && lastMessage.item.text).toBe(outcome.value.output);
  });

  it.each(['break', 'throw'] as const)(
    'leaving the loop early (%s) kills the running codex tree before the loop is left; the outcome is cancelled',
    async (how) => {
      const f = markedEnv();
      const { events, result } = runStreamed({ payload: executePayload('sleep:30') }, { env: f.env, logDir: f.logDir, display: 'ignore', killGraceMs: 1000 });
      const isSettled = settledFlag(result);
      let commandWasRunning = false;
      const leave = async () => {
        for await (const event of events) {
          if (isCommandStart(event)) {
            // The model's `sleep 30` is running now; the run cannot have ended by itself.
            commandWasRunning = !isSettled() && (await waitFor(() => sleepRunning(f), 20_000));
            if (how === 'throw') throw new Error('consumer gave up');
            break;
          }
        }
      };
      if (how === 'throw') await expect(leave()).rejects.toThrow('consumer gave up');
      else await leave();
      expect(commandWasRunning).toBe(true);
      // return() waits for the teardown: the outcome exists as soon as the loop is left.
      expect(isSettled()).toBe(true);
      const outcome: CodexRunOutcome = await result;
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.reason).toBe('cancelled');
      expect(outcome.facts?.threadId).toMatch(/^[0-9a-f-]{36}$/);
      await waitFor(() => f.survivors().length === 0, 5000);
      expect(f.survivors()).toEqual([]);
      expect(readdirSync(f.tmp)).toEqual([]);
      expect(await events.next()).toEqual({ done: true, value: undefined });
    },
  );

  it("the caller's AbortSignal cancels the run; the loop then ends by itself after the last event", async () => {
    const f = markedEnv();
    const controller = new AbortController();
    const { events, result } = runStreamed({ prompt: 'Sleep. [[scenario:sleep:30]]' }, { env: f.env, logDir: f.logDir, display: 'ignore', signal: controller.signal, killGraceMs: 1000 });
    const types: string[] = [];
    for await (const event of events) {
      types.push(event.type);
      // Abort once the command runs: an abort while codex is still spawning it tests the teardown,
      // not the stream.
      if (isCommandStart(event) && (await waitFor(() => sleepRunning(f), 20_000))) controller.abort();
    }
    expect(types[0]).toBe('thread.started');
    expect(types).toContain('item.started');
    const outcome = await result;
    expect(outcome.ok ? 'ok' : outcome.error.reason).toBe('cancelled');
    await waitFor(() => f.survivors().length === 0, 5000);
    expect(f.survivors()).toEqual([]);
  });
});

describe('runStreamed with a replayed stream', () => {
  const FAKE_CODEX = path.join(REPO_ROOT, 'test/support/fake_codex.sh');
  const RESULT = 'RESULT: completed\nSUMMARY: s\nCHANGED_FILES: none\nCHECKS: none';

  function replayEnv(lines: string[], extra: Record<string, string> = {}) {
    const file = path.join(world.home.root, `replay-${randomUUID()}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return markedEnv({ CODEX_BIN: FAKE_CODEX, FAKE_CODEX_JSONL: file, FAKE_CODEX_LAST_MESSAGE: RESULT, ...extra });
  }

  it('passes unknown event and item types through as the unknown variant, skips noise, keeps the order', async () => {
    const f = replayEnv(
      [
        '{"type":"thread.started","thread_id":"t-1"}',
        'not json at all',
        '{"type":"turn.started"}',
        '{"type":"item.plan.delta","item_id":"p","delta":"1."}',
        '{"type":"item.completed","item":{"id":"item_0","type":"plan","text":"1. do it"}}',
        '[1,2,3]',
        `{"type":"item.completed","item":{"id":"item_1","type":"agent_message","text":${JSON.stringify(RESULT)}}}`,
        '{"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":5,"reasoning_output_tokens":0}}',
      ],
      { FAKE_CODEX_LINE_DELAY: '0.05' },
    );
    const { events, result } = runStreamed({ payload: executePayload('unused') }, { env: f.env, logDir: f.logDir, display: 'ignore' });
    // Readers waiting at once are served in order, one event each.
    const firstThree = await Promise.all([events.next(), events.next(), events.next()]);
    const rest: ThreadEvent[] = [];
    for await (const event of events) rest.push(event);
    expect([...firstThree.map((r) => r.value), ...rest]).toEqual([
      { type: 'thread.started', thread_id: 't-1' },
      { type: 'turn.started' },
      { type: 'unknown', raw: { type: 'item.plan.delta', item_id: 'p', delta: '1.' } },
      { type: 'item.completed', item: { id: 'item_0', type: 'unknown', raw: { id: 'item_0', type: 'plan', text: '1. do it' } } },
      { type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text: RESULT } },
      { type: 'turn.completed', usage: { input_tokens: 10, cached_input_tokens: 0, output_tokens: 5, reasoning_output_tokens: 0 } },
    ]);
    const outcome = await result;
    expect(outcome.ok && outcome.value.output).toBe(RESULT);
    expect(outcome.ok && outcome.value.threadId).toBe('t-1');
  });

  it('keeps the events for a reader that awaits the outcome first', async () => {
    const f = replayEnv(['{"type":"thread.started","thread_id":"t-3"}', '{"type":"turn.started"}', '{"type":"turn.completed","usage":{}}']);
    const { events, result } = runStreamed({ prompt: 'anything' }, { env: f.env, logDir: f.logDir, display: 'ignore' });
    expect((await result).ok).toBe(true);
    const types: string[] = [];
    for await (const event of events) types.push(event.type);
    expect(types).toEqual(['thread.started', 'turn.started', 'turn.completed']);
  });

  it('return() before the first read still aborts the run and waits for its tree to be gone', async () => {
    const f = replayEnv(['{"type":"thread.started","thread_id":"t-2"}'], { FAKE_CODEX_SLEEP: '30' });
    const { events, result } = runStreamed({ payload: executePayload('unused') }, { env: f.env, logDir: f.logDir, display: 'ignore', killGraceMs: 1000 });
    const isSettled = settledFlag(result);
    expect(await waitFor(() => sleepRunning(f), 20_000)).toBe(true);
    expect(await events.return?.()).toEqual({ done: true, value: undefined });
    expect(isSettled()).toBe(true);
    const outcome = await result;
    expect(outcome.ok ? 'ok' : outcome.error.reason).toBe('cancelled');
    await waitFor(() => f.survivors().length === 0, 5000);
    expect(f.survivors()).toEqual([]);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('a run refused before codex starts streams no event and gives the same error as runTeammatePayload', async () => {
    const f = markedEnv();
    const { events, result } = runStreamed({ payload: '{"mode": "execute"' }, { env: f.env, logDir: f.logDir, display: 'ignore' });
    const seen: ThreadEvent[] = [];
    for await (const event of events) seen.push(event);
    expect(seen).toEqual([]);
    const streamed = await result;
    const direct = await runTeammatePayload('{"mode": "execute"', { env: f.env, logDir: f.logDir, display: 'ignore' });
    expect(streamed.ok).toBe(false);
    expect(!streamed.ok && !direct.ok && [streamed.error.reason, streamed.error.exitCode, streamed.error.message]).toEqual(
      !direct.ok && [direct.error.reason, direct.error.exitCode, direct.error.message],
    );
  });
});

describe('runStreamed input', () => {
  it('takes a plain string as the prompt, like { prompt }', async () => {
    const f = markedEnv({ CODEX_BIN: path.join(REPO_ROOT, 'test/support/fake_codex.sh'), FAKE_CODEX_LAST_MESSAGE: 'done' });
    const { result } = runStreamed('just a prompt', { env: f.env, logDir: f.logDir, display: 'ignore' });
    const outcome = await result;
    expect(outcome.ok && outcome.value.output).toBe('done');
  });

  it.each([[null], [42], [{}], [{ prompt: 7 }], [{ payload: { mode: 'execute' } }]])(
    'an input of the wrong shape (%j, from untyped code) is an invalid_option outcome, not a throw',
    async (input) => {
      const { events, result } = runStreamed(input as never);
      expect(await events.next()).toEqual({ done: true, value: undefined });
      const outcome = await result;
      expect(!outcome.ok && [outcome.error.reason, outcome.error.exitCode, outcome.error.message]).toEqual([
        'invalid_option',
        2,
        'runStreamed needs a prompt string, { prompt: string } or { payload: Uint8Array | string }',
      ]);
    },
  );
});

describe('onEvent, the core runStreamed sits on', () => {
  it('a callback that throws loses neither later events nor the run facts', async () => {
    const lines = [
      '{"type":"thread.started","thread_id":"t-4"}',
      '{"type":"turn.started"}',
      '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"hi"}}',
      '{"type":"turn.completed","usage":{"input_tokens":7,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0}}',
    ];
    const file = path.join(world.home.root, `replay-${randomUUID()}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const env = { ...world.env, CODEX_BIN: path.join(REPO_ROOT, 'test/support/fake_codex.sh'), FAKE_CODEX_JSONL: file, FAKE_CODEX_LAST_MESSAGE: 'hi' };
    const types: string[] = [];
    const outcome = await runCodexPrompt('anything', {
      env,
      logDir: mkdirAndReturn(path.join(world.home.root, `logs-${randomUUID()}`)),
      display: 'ignore',
      onEvent: (event) => {
        types.push(event.type);
        throw new Error('a buggy callback');
      },
    });
    expect(types).toEqual(['thread.started', 'turn.started', 'item.completed', 'turn.completed']);
    expect(outcome.ok && [outcome.value.threadId, outcome.value.usage?.input_tokens]).toEqual(['t-4', 7]);
  });
});
