/** KeyedMutex: one holder per key, FIFO waiters, an aborted waiter holds nothing and skips its turn. */
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../src/mcp/dir_locks.js';
import { QueueAbortedError } from '../../../src/mcp/fifo_semaphore.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  it('serves waiters of one key in order; other keys do not wait', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const first = await mutex.acquire('a');
    const second = mutex.acquire('a').then((release) => (order.push('second'), release));
    const third = mutex.acquire('a').then((release) => (order.push('third'), release));
    const other = await mutex.acquire('b');
    order.push('other');
    await tick();
    expect(order).toEqual(['other']);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(['other', 'second', 'third']);
    other();
    expect(mutex.size).toBe(0);
  });

  it('an aborted waiter rejects with QueueAbortedError and the next waiter follows the holder', async () => {
    const mutex = new KeyedMutex();
    const holder = await mutex.acquire('k');
    const controller = new AbortController();
    const quitter = mutex.acquire('k', controller.signal);
    let nextGot = false;
    const next = mutex.acquire('k').then((release) => ((nextGot = true), release));
    controller.abort('gone');
    await expect(quitter).rejects.toBeInstanceOf(QueueAbortedError);
    await tick();
    expect(nextGot).toBe(false);
    holder();
    (await next)();
    expect(mutex.size).toBe(0);
  });

  it('refuses at once with an already aborted signal; release twice is harmless', async () => {
    const mutex = new KeyedMutex();
    const controller = new AbortController();
    controller.abort();
    await expect(mutex.acquire('k', controller.signal)).rejects.toBeInstanceOf(QueueAbortedError);
    expect(mutex.size).toBe(0);
    const release = await mutex.acquire('k');
    release();
    release();
    expect(mutex.size).toBe(0);
  });
});
