/**
 * At most N holders at once; everybody else waits in a FIFO queue (contract §3.11: calls wait,
 * never "busy"). A waiter whose AbortSignal fires leaves the queue without ever holding a slot.
 */

/** Gives the slot back. Idempotent. */
export type Release = () => void;

/** Options of {@link FifoSemaphore.acquire}. */
export interface AcquireOptions {
  /** Leaving the queue: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Called with the 1-based queue position when the caller has to wait, and again whenever it
   * moves up. Not called when a slot is free at once.
   */
  onPosition?: (position: number) => void;
}

interface Waiter {
  grant: (release: Release) => void;
  onPosition: ((position: number) => void) | undefined;
}

/** The error a waiter gets when its signal fires before it got a slot. */
export class QueueAbortedError extends Error {
  override readonly name = 'QueueAbortedError';
  constructor(readonly reason: unknown) {
    super('left the queue before a slot was free');
  }
}

/** A counting semaphore with a strict first-in-first-out queue. */
export class FifoSemaphore {
  private active = 0;
  private readonly queue: Waiter[] = [];

  /** @param limit slots, ≥ 1. */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
  }

  /** Slots in use. */
  get running(): number {
    return this.active;
  }

  /** Callers waiting. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Waits for a slot (FIFO) and resolves with its release function.
   * @throws QueueAbortedError when `signal` fires first (also when it already has).
   */
  acquire(options: AcquireOptions = {}): Promise<Release> {
    const { signal, onPosition } = options;
    if (signal?.aborted) return Promise.reject(new QueueAbortedError(signal.reason));
    if (this.active < this.limit && this.queue.length === 0) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index < 0) return; // already granted
        this.queue.splice(index, 1);
        this.announce(index);
        reject(new QueueAbortedError(signal?.reason));
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        onPosition,
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      onPosition?.(this.queue.length);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next === undefined) {
        this.active -= 1;
        return;
      }
      // The slot passes straight to the first waiter: `active` does not change.
      next.grant(this.releaser());
      this.announce(0);
    };
  }

  /** Tells the waiters from `from` on their new positions. */
  private announce(from: number): void {
    for (let i = from; i < this.queue.length; i += 1) this.queue[i]?.onPosition?.(i + 1);
  }
}
