/** py_value.ts: the builders and guards of the Python value tree. */
import { describe, expect, it } from 'vitest';
import { emptyDict, emptyList, isPyDict, isPyList, PY_NONE, pyString } from '../../../../src/compat/python/py_value.js';

describe('py_value builders', () => {
  it('PY_NONE is one frozen null value', () => {
    expect(PY_NONE).toEqual({ kind: 'null' });
    expect(Object.isFrozen(PY_NONE)).toBe(true);
  });

  it('pyString wraps a string, lone surrogates included', () => {
    expect(pyString('\uD800x')).toEqual({ kind: 'str', value: '\uD800x' });
  });

  it('emptyList and emptyDict give a fresh mutable value each time', () => {
    const a = emptyList();
    const b = emptyList();
    a.items.push(PY_NONE);
    expect(b.items).toEqual([]);
    const d = emptyDict();
    d.entries.set('k', PY_NONE);
    expect(emptyDict().entries.size).toBe(0);
  });

  it('isPyDict / isPyList accept only their kind (and undefined is neither)', () => {
    expect(isPyDict(emptyDict())).toBe(true);
    expect(isPyDict(emptyList())).toBe(false);
    expect(isPyDict(undefined)).toBe(false);
    expect(isPyList(emptyList())).toBe(true);
    expect(isPyList(pyString('x'))).toBe(false);
    expect(isPyList(undefined)).toBe(false);
  });
});
