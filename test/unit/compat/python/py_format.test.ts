import { execFileSync } from 'node:child_process';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { formatFixed3, parsePyInt, pyFormatFixed, readPyIntEnv } from '../../../../src/compat/python/py_format.js';
import { envValue } from '../../../../src/infrastructure/env.js';
import { hasPython } from '../../../support/python.js';


/** The big-endian hex of a double's bits, to hand exact values to python3. */
function doubleHex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

describe('formatFixed3 = Python format(x, ".3f") (§6.3)', () => {
  it.each([
    [0.0625, '0.062'],
    [0.1875, '0.188'],
    [2.0625, '2.062'],
    [0.0005, '0.001'],
    [0.0015, '0.002'],
    [1, '1.000'],
    [0, '0.000'],
    [-0, '-0.000'],
    [-0.0004, '-0.000'],
    [Number.NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [1739170000.12345, '1739170000.123'],
    [1739170001, '1739170001.000'],
    [1e30, '1000000000000000019884624838656.000'],
    [5e-324, '0.000'],
    [2 ** 53 + 2, '9007199254740994.000'],
  ])('format(%s, ".3f") = %s', (x, expected) => {
    expect(formatFixed3(x)).toBe(expected);
  });

  it('differs from toFixed only at exact ties (ties to even) (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e20, max: 1e20 }), (x) => {
        const mine = formatFixed3(x);
        const js = Object.is(x, -0) ? '-0.000' : x.toFixed(3);
        if (mine !== js) {
          // toFixed picks the larger candidate on a tie; only then may the results differ.
          expect(Number.isInteger(x * 16)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('other precisions work too', () => {
    expect(pyFormatFixed(2.5, 0)).toBe('2');
    expect(pyFormatFixed(3.5, 0)).toBe('4');
    expect(pyFormatFixed(0.125, 2)).toBe('0.12');
  });

  it.skipIf(!hasPython)('equals python3 format(x, ".3f") on 3000 fast-check doubles (one python3 run)', () => {
    const xs = [
      ...fc.sample(fc.double(), { numRuns: 1500, seed: 7 }),
      ...fc.sample(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }).map((n) => n / 16), { numRuns: 1000, seed: 8 }),
      ...fc.sample(fc.double({ min: -1e7, max: 1e7, noNaN: true }), { numRuns: 500, seed: 9 }),
    ];
    const script = [
      'import struct, sys',
      "print('\\n'.join(format(struct.unpack('>d', bytes.fromhex(h))[0], '.3f') for h in sys.stdin.read().split()))",
    ].join('\n');
    const expected = execFileSync('python3', ['-c', script], { input: xs.map(doubleHex).join('\n') })
      .toString()
      .trimEnd()
      .split('\n');
    expect(xs.map(formatFixed3)).toEqual(expected);
  });
});

describe('parsePyInt = Python int() (§2.1)', () => {
  it.each([
    ['1_000', 1000n],
    ['١٢', 12n],
    ['１２', 12n],
    ['0042', 42n],
    ['+5', 5n],
    ['-5', -5n],
    [' 5000 ', 5000n],
    ['\u00857\u3000', 7n],
    ['0_0', 0n],
    ['𝟏𝟐', 12n],
    ['١_٢', 12n],
    ['-' + '9'.repeat(4300), -BigInt('9'.repeat(4300))],
  ])('int(%j) = %s', (text, expected) => {
    expect(parsePyInt(text)).toBe(expected);
  });

  it.each(['1e3', '12abc', '0x10', '1.5', 'abc', '_1', '1__0', '1_', '', ' ', '- 5', '+-1', '\ufeff1', '9'.repeat(4301)])(
    'int(%j) raises ValueError',
    (text) => {
      expect(parsePyInt(text)).toBeNull();
    },
  );
});

describe('readPyIntEnv: default + clamp (§2.1)', () => {
  const text = { fallback: 220, min: 80, max: 1200 };
  it.each<[string | undefined, number]>([
    [undefined, 220],
    ['', 220],
    ['   ', 220],
    ['1e3', 220],
    ['12abc', 220],
    ['0x10', 220],
    ['1.5', 220],
    ['abc', 220],
    ['_1', 220],
    ['1__0', 220],
    ['0', 80],
    ['-5', 80],
    ['999999', 1200],
    [' 5000 ', 1200],
    ['1_000', 1000],
    ['١٢٠', 120],
    ['０１００', 100],
    ['0042', 80],
    ['300', 300],
  ])('CODEX_PROGRESS_RECENT_TEXT_CHARS=%j → %d', (value, expected) => {
    expect(readPyIntEnv({ CODEX_PROGRESS_RECENT_TEXT_CHARS: value }, 'CODEX_PROGRESS_RECENT_TEXT_CHARS', text)).toBe(expected);
  });

  it('envValue treats empty as unset', () => {
    expect(envValue({ A: '' }, 'A', 'd')).toBe('d');
    expect(envValue({}, 'A', 'd')).toBe('d');
    expect(envValue({ A: ' ' }, 'A', 'd')).toBe(' ');
  });
});
