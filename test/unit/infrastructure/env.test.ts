/** envValue: V661's `${VAR:-default}`, empty counts as unset. */
import { describe, expect, it } from 'vitest';
import { envValue } from '../../../src/infrastructure/env.js';

describe('envValue', () => {
  it('is the value when set and non-empty, else the fallback', () => {
    expect(envValue({ A: 'x' }, 'A', 'd')).toBe('x');
    expect(envValue({ A: '' }, 'A', 'd')).toBe('d');
    expect(envValue({}, 'A', 'd')).toBe('d');
    expect(envValue({ A: undefined }, 'A', 'd')).toBe('d');
    expect(envValue({ A: ' ' }, 'A', 'd')).toBe(' '); // blanks are a value, as in the shell
  });
});
