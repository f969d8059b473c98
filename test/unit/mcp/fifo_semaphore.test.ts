/** The server's FIFO queue: limit, order, positions, abort while queued. */
import { describe, expect, it } from 'vitest';
import { FifoSemaphore, QueueAbortedError, type Release } from '../../../src/mcp/fifo_semaphore.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FifoSemaphore', () => {
  it('grants up to the limit at once, then queues', async () => {
    const sem = new FifoSemaphore(2);
    const a = await sem.acquire();
    const b = await sem.acquire();
    let granted = false;
    const c = sem.acquire().then((release) => {
      granted = true;
      return release;
    });
    await tick();
    expect(granted).toBe(false);
    expect(sem.running).toBe(2);
    expect(sem.waiting).toBe(1);
    a();
    const releaseC = await c;
    expect(granted).toBe(true);
    expect(sem.running).toBe(2);
    b();
    releaseC();
    expect(sem.running).toBe(0);
  });

  it('serves waiters strictly in arrival order', async () => {
    const sem = new FifoSemaphore(1);
    const first = await sem.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3, 4].map((n) =>
      sem.acquire().then((release) => {
        order.push(n);
        return release;
      }),
    );
    first();
    for (const waiter of waiters) (await waiter)();
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('never exceeds the limit under load', async () => {
    const sem = new FifoSemaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = await sem.acquire();
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, (i % 4) * 2));
        active -= 1;
        release();
      }),
    );
    expect(peak).toBe(3);
    expect(sem.running).toBe(0);
  });

  it('reports queue positions and moves them up', async () => {
    const sem = new FifoSemaphore(1);
    const hold = await sem.acquire();
    const seen: Record<string, number[]> = { b: [], c: [] };
    const b = sem.acquire({ onPosition: (p) => seen.b?.push(p) });
    const c = sem.acquire({ onPosition: (p) => seen.c?.push(p) });
    expect(seen).toEqual({ b: [1], c: [2] });
    hold();
    (await b)();
    (await c)();
    expect(seen).toEqual({ b: [1], c: [2, 1] });
  });

  it('an aborted waiter leaves the queue, never gets a slot, and the others move up', async () => {
    const sem = new FifoSemaphore(1);
    const hold = await sem.acquire();
    const controller = new AbortController();
    const positions: number[] = [];
    const aborted = sem.acquire({ signal: controller.signal });
    const next = sem.acquire({ onPosition: (p) => positions.push(p) });
    controller.abort('client cancelled');
    await expect(aborted).rejects.toBeInstanceOf(QueueAbortedError);
    await expect(aborted).rejects.toMatchObject({ reason: 'client cancelled' });
    expect(sem.waiting).toBe(1);
    expect(positions).toEqual([2, 1]);
    hold();
    const release: Release = await next;
    expect(sem.running).toBe(1);
    release();
    expect(sem.running).toBe(0);
  });

  it('rejects at once when the signal is already aborted, even with free slots', async () => {
    const sem = new FifoSemaphore(4);
    await expect(sem.acquire({ signal: AbortSignal.abort('gone') })).rejects.toBeInstanceOf(QueueAbortedError);
    expect(sem.running).toBe(0);
  });

  it('an abort after the grant changes nothing; release is idempotent', async () => {
    const sem = new FifoSemaphore(1);
    const controller = new AbortController();
    const release = await sem.acquire({ signal: controller.signal });
    controller.abort();
    expect(sem.running).toBe(1);
    release();
    release();
    expect(sem.running).toBe(0);
    const again = await sem.acquire();
    expect(sem.running).toBe(1);
    again();
  });

  it('refuses a non-positive limit', () => {
    expect(() => new FifoSemaphore(0)).toThrow(RangeError);
    expect(() => new FifoSemaphore(1.5)).toThrow(RangeError);
  });
});
