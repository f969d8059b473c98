/**
 * A run as an async iterable of its typed events, like `@openai/codex-sdk`'s `runStreamed`, on top
 * of the one run path ({@link runCodexPrompt} / {@link runTeammatePayload} with `onEvent`): the
 * same validation, executor, teardown and outcome, only the events are handed over as a stream.
 */
import { childError } from '../../../domain/errors.js';
import { runCodexPrompt, runTeammatePayload, type CodexRunOptions, type CodexRunOutcome } from './codex_adapter.js';
import type { ThreadEvent } from './codex_event_types.js';

/**
 * What to run: a ready prompt (as {@link runCodexPrompt}; a plain string is short for `{ prompt }`)
 * or a teammate payload (as {@link runTeammatePayload}).
 */
export type StreamedRunInput = string | { prompt: string } | { payload: Uint8Array | string };

/** The run options; events come through {@link StreamedRun.events} instead of `onEvent`. */
export type StreamedRunOptions = Omit<CodexRunOptions, 'onEvent'>;

/** A started run: its events as they happen, and its outcome. */
export interface StreamedRun {
  /**
   * Every event of the run, in order, each once; the iteration ends after the last one, when the
   * run is over. Leaving the loop early (`break`, `return`, a throw in its body) aborts the run and
   * waits until codex's whole process tree is gone; `result` then says `cancelled` (unless codex had
   * already exited). One consumer only. Events not yet read are buffered in memory.
   */
  events: AsyncIterableIterator<ThreadEvent>;
  /** The outcome, as {@link runCodexPrompt} returns it; settles after the last event. Never rejects for expected failures. */
  result: Promise<CodexRunOutcome>;
}

/**
 * Starts a run at once and streams its events.
 *
 * @example
 * const { events, result } = runStreamed({ prompt: 'Add a test' }, { display: 'ignore' });
 * for await (const event of events) if (event.type === 'item.completed') console.log(event.item.type);
 * const outcome = await result;
 */
export function runStreamed(input: StreamedRunInput, options: StreamedRunOptions = {}): StreamedRun {
  const channel = new EventChannel();
  const abort = linkedAbort(options.signal);
  const runOptions: CodexRunOptions = { ...options, signal: abort.signal, onEvent: (event) => channel.push(event) };
  const result = startRun(input, runOptions).finally(abort.unlink);
  result.then(
    () => channel.end(null),
    (error: unknown) => channel.end({ error }),
  );
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  const leave = async (): Promise<void> => {
    if (channel.close()) abort.controller.abort(new Error('the events loop was left before the run ended'));
    await settled;
  };
  const events: AsyncIterableIterator<ThreadEvent> = {
    next: () => channel.next(),
    async return() {
      await leave();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await leave();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { events, result };
}

/** The one run path; an input of the wrong shape (from untyped callers) is an `invalid_option` outcome. */
function startRun(input: StreamedRunInput, options: CodexRunOptions): Promise<CodexRunOutcome> {
  if (typeof input === 'string') return runCodexPrompt(input, options);
  if (typeof input === 'object' && input !== null) {
    if ('prompt' in input && typeof input.prompt === 'string') return runCodexPrompt(input.prompt, options);
    if ('payload' in input && (typeof input.payload === 'string' || input.payload instanceof Uint8Array)) return runTeammatePayload(input.payload, options);
  }
  const message = 'runStreamed needs a prompt string, { prompt: string } or { payload: Uint8Array | string }';
  return Promise.resolve({ ok: false, error: childError({ reason: 'invalid_option', message }), facts: null });
}

/** An AbortController that also follows the caller's signal, until `unlink`. */
function linkedAbort(outer: AbortSignal | undefined) {
  const controller = new AbortController();
  const follow = () => controller.abort(outer?.reason);
  if (outer?.aborted) follow();
  else outer?.addEventListener('abort', follow, { once: true });
  return { controller, signal: controller.signal, unlink: () => outer?.removeEventListener('abort', follow) };
}

/** Unbounded FIFO from the run's `onEvent` to one async reader; waiting readers are served in order. */
class EventChannel {
  private readonly buffer: ThreadEvent[] = [];
  private readonly waiting: Array<{ resolve: (r: IteratorResult<ThreadEvent>) => void; reject: (e: unknown) => void }> = [];
  private ended = false;
  private closed = false;
  private failure: { error: unknown } | null = null;

  push(event: ThreadEvent): void {
    if (this.closed || this.ended) return;
    const reader = this.waiting.shift();
    if (reader) reader.resolve({ done: false, value: event });
    else this.buffer.push(event);
  }

  /** The run is over; an unexpected error is handed to the reader once, after the buffered events. */
  end(failure: { error: unknown } | null): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.closed) this.failure = failure;
    for (const reader of this.waiting.splice(0)) this.settle(reader);
  }

  /** The reader left. @returns true when the run was still going. */
  close(): boolean {
    const wasRunning = !this.ended && !this.closed;
    this.closed = true;
    this.buffer.length = 0;
    for (const reader of this.waiting.splice(0)) reader.resolve({ done: true, value: undefined });
    return wasRunning;
  }

  next(): Promise<IteratorResult<ThreadEvent>> {
    const event = this.buffer.shift();
    if (event !== undefined) return Promise.resolve({ done: false, value: event });
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      if (this.ended) this.settle({ resolve, reject });
      else this.waiting.push({ resolve, reject });
    });
  }

  private settle(reader: { resolve: (r: IteratorResult<ThreadEvent>) => void; reject: (e: unknown) => void }): void {
    const failure = this.failure;
    this.failure = null;
    if (failure) reader.reject(failure.error);
    else reader.resolve({ done: true, value: undefined });
  }
}
