/**
 * One call per variant directory at a time (issue 9 item 4). A host that gives up at its own tool
 * timeout and retries sends a second call for a directory whose first call is still running; the
 * second call WAITS behind the first (FIFO per directory), then takes its turn in the shared
 * queue. Two runs therefore never interleave one `codex_stdout.txt`, and each result reports only
 * the thread its own run produced. Keys are device:inode, so path spellings cannot alias.
 */
import { QueueAbortedError, type Release } from './fifo_semaphore.js';

/** Per-key mutual exclusion with FIFO waiters. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Keys held or waited for right now. */
  get size(): number {
    return this.tails.size;
  }

  /**
   * Waits until every earlier holder of `key` released it.
   * @throws QueueAbortedError when `signal` fires first; the waiter then holds nothing.
   */
  async acquire(key: string, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) throw new QueueAbortedError(signal.reason);
    const previous = this.tails.get(key) ?? Promise.resolve();
    let open!: () => void;
    const mine = new Promise<void>((resolve) => (open = resolve));
    // Our turn ends when we release, or when we give up waiting (then the next waiter follows
    // the previous holder directly).
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    let released = false;
    const release: Release = () => {
      if (released) return;
      released = true;
      open();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new QueueAbortedError(signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([previous, aborted]);
      return release;
    } catch (error) {
      release();
      throw error;
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }
}
