import { describe, expect, it } from 'vitest';
import { CappedBytes } from '../../../src/infrastructure/capped_bytes.js';

describe('CappedBytes', () => {
  it('keeps every chunk below the cap, in order', () => {
    const kept = new CappedBytes(10);
    kept.push(Buffer.from('abc'));
    kept.push(Buffer.from('def'));
    expect(kept.bytes().toString()).toBe('abcdef');
  });

  it('cuts the chunk that crosses the cap and drops every later one', () => {
    const kept = new CappedBytes(5);
    kept.push(Buffer.from('abc'));
    kept.push(Buffer.from('defg'));
    kept.push(Buffer.from('hij'));
    expect(kept.bytes().toString()).toBe('abcde');
  });

  it('keeps nothing with a cap of 0, and an empty input is empty', () => {
    const none = new CappedBytes(0);
    none.push(Buffer.from('x'));
    expect(none.bytes().length).toBe(0);
    expect(new CappedBytes(3).bytes().length).toBe(0);
  });
});
