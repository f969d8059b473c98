/** result.ts: the one success/failure shape. */
import { describe, expect, it } from 'vitest';
import { err, ok, type Result } from '../../../src/domain/result.js';

describe('ok / err', () => {
  it('build the two shapes, narrowing on ok', () => {
    const good: Result<number, string> = ok(3);
    const bad: Result<number, string> = err('no');
    expect(good).toEqual({ ok: true, value: 3 });
    expect(bad).toEqual({ ok: false, error: 'no' });
    expect(good.ok ? good.value : null).toBe(3);
    expect(bad.ok ? null : bad.error).toBe('no');
    expect(Object.keys(good)).toEqual(['ok', 'value']);
    expect(Object.keys(bad)).toEqual(['ok', 'error']);
  });
});
