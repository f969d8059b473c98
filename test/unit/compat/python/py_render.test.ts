import { execFileSync } from 'node:child_process';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  pyFloatRepr,
  pyOr,
  pyRepr,
  pyStr,
  pyStrOr,
  pyStrRepr,
  pyTruthy,
} from '../../../../src/compat/python/py_render.js';
import { hasPython, py } from '../../../support/python.js';


/** The big-endian hex of a double's bits, to hand exact values to python3. */
function doubleHex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

describe('pyTruthy (§4.1)', () => {
  it.each(['null', 'false', '0', '0.0', '-0.0', '-0', '""', '[]', '{}'])('%s is falsy', (text) => {
    expect(pyTruthy(py(text))).toBe(false);
  });

  it.each(['"0"', '"false"', 'NaN', '" "', '"\\t"', 'true', '1', '-1', '0.001', '[0]', '{"a":null}', 'Infinity'])(
    '%s is truthy',
    (text) => {
      expect(pyTruthy(py(text))).toBe(true);
    },
  );

  it('pyOr / pyStrOr follow `value or fallback` with a missing key as None', () => {
    expect(pyStrOr(undefined, 'teammate')).toBe('teammate');
    expect(pyStrOr(py('[]'), 'teammate')).toBe('teammate');
    expect(pyStrOr(py('"tm"'), 'teammate')).toBe('tm');
    expect(pyOr(py('0'), py('[]'))).toEqual(py('[]'));
  });
});

describe('pyStr (§4.2)', () => {
  it.each([
    ['"text\\n with \\u0001 controls"', 'text\n with \u0001 controls'],
    ['true', 'True'],
    ['false', 'False'],
    ['null', 'None'],
    ['-0', '0'],
    ['12345678901234567890', '12345678901234567890'],
    ['1.0', '1.0'],
    ['100.0', '100.0'],
    ['0.0001', '0.0001'],
    ['1000000000000000.0', '1000000000000000.0'],
    ['1e16', '1e+16'],
    ['1.5e300', '1.5e+300'],
    ['1e-5', '1e-05'],
    ['123456789012345678.0', '1.2345678901234568e+17'],
    ['-0.0', '-0.0'],
    ['1e400', 'inf'],
    ['-1e400', '-inf'],
    ['NaN', 'nan'],
    ['["a", 1, null, true]', "['a', 1, None, True]"],
    ['{"k": [1]}', "{'k': [1]}"],
    ['[[], {}, [1.5, -2], {"a": {"b": false}}]', "[[], {}, [1.5, -2], {'a': {'b': False}}]"],
  ])('str(%s) = %j', (text, expected) => {
    expect(pyStr(py(text))).toBe(expected);
  });
});

describe('pyStrRepr: string repr rules (§4.2)', () => {
  it.each([
    ["it's", `"it's"`],
    ['x"y', `'x"y'`],
    [`a'b"c`, `'a\\'b"c'`],
    ['\n', "'\\n'"],
    ['\t\r', "'\\t\\r'"],
    ['\\', "'\\\\'"],
    ['\u0085', "'\\x85'"],
    ['é', "'é'"],
    ['\u0001\u007f', "'\\x01\\x7f'"],
    ['\u00a0', "'\\xa0'"],
    ['\u200b', "'\\u200b'"],
    ['\u2028', "'\\u2028'"],
    ['\u3000', "'\\u3000'"],
    ['\ue000', "'\\ue000'"],
    ['\ufeff', "'\\ufeff'"],
    ['\ud800', "'\\ud800'"],
    ['\u{10ffff}', "'\\U0010ffff'"],
    ['😀 ok', "'😀 ok'"],
    ['', "''"],
  ])('repr(%j) = %s', (input, expected) => {
    expect(pyStrRepr(input)).toBe(expected);
  });

  it('escapes keys and nested strings inside containers', () => {
    expect(pyRepr(py('{"it\'s": ["x\\"y", "\\n"], "k": {}}'))).toBe(`{"it's": ['x"y', '\\n'], 'k': {}}`);
  });
});

describe('pyFloatRepr', () => {
  it('round-trips and uses Python layout (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = pyFloatRepr(x);
        expect(Object.is(Number(text), x)).toBe(true);
        const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
        // Around powers of ten log10 can be off by one; only check clear cases.
        if (x !== 0 && Math.abs(exp) > 1 && (exp < -5 || exp > 16)) expect(text).toMatch(/e[+-]\d\d/);
        if (x !== 0 && exp > -4 && exp < 15) expect(text).toMatch(/^-?\d+\.\d+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it.skipIf(!hasPython)('equals python3 repr() on 3000 fast-check doubles (one python3 run)', () => {
    const xs = fc.sample(fc.double(), { numRuns: 3000, seed: 42 });
    xs.push(0.1, 1 / 3, 5e-324, 1.7976931348623157e308, 2.5e-5, -1e-7, 9007199254740993, 1e15, 1e16, 1e-4, 1e-5);
    const script = [
      'import struct, sys',
      "print('\\n'.join(repr(struct.unpack('>d', bytes.fromhex(h))[0]) for h in sys.stdin.read().split()))",
    ].join('\n');
    const expected = execFileSync('python3', ['-c', script], { input: xs.map(doubleHex).join('\n') })
      .toString()
      .trimEnd()
      .split('\n');
    expect(xs.map(pyFloatRepr)).toEqual(expected);
  });
});
