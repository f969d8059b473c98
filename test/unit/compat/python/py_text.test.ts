import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import {
  cpLength,
  cpSlice,
  cpToUtf16Index,
  cpTruncateWithEllipsis,
  isPySpace,
  pyCollapseSpace,
  pyLower,
  pySplitCommaSpace,
  pyStrip,
  pyStripChars,
  PY_WHITESPACE_CLASS,
  splitlines,
} from '../../../../src/compat/python/py_text.js';
import { hasPython } from '../../../support/python.js';


/** The whitespace set of contract §4.4. */
const PY_SPACES = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

describe('Python whitespace (§4.4)', () => {
  it('is exactly the contract set (checked over the whole BMP)', () => {
    const found: number[] = [];
    for (let code = 0; code <= 0xffff; code += 1) if (isPySpace(code)) found.push(code);
    expect(found).toEqual(PY_SPACES);
    expect(isPySpace('\ufeff')).toBe(false);
    expect(isPySpace('\u180e')).toBe(false);
    expect(isPySpace('\u200b')).toBe(false);
  });

  it.skipIf(!hasPython)('equals python3 str.isspace() on every code point', () => {
    const expected = JSON.parse(
      execFileSync('python3', ['-c', 'import json; print(json.dumps([c for c in range(0x110000) if chr(c).isspace()]))']).toString(),
    );
    expect(expected).toEqual(PY_SPACES);
  });

  it('pyStrip removes U+0085 and keeps U+FEFF', () => {
    expect(pyStrip(' \u001c\u0085a b\u200b\ufeff\u180e \u3000')).toBe('a b\u200b\ufeff\u180e');
    expect(pyStrip('\u2028\u2029')).toBe('');
    expect(pyStrip('x')).toBe('x');
  });

  it('PY_WHITESPACE_CLASS works with and without the u flag', () => {
    for (const flags of ['', 'u']) {
      const re = new RegExp(`^[${PY_WHITESPACE_CLASS}]+$`, flags);
      expect(re.test(String.fromCharCode(...PY_SPACES))).toBe(true);
      expect(re.test('\ufeff')).toBe(false);
    }
  });

  it('pySplitCommaSpace and pyCollapseSpace follow re with Python \\s', () => {
    expect(pySplitCommaSpace(',a, b\u001f,c\u3000 ')).toEqual(['', 'a', 'b', 'c', '']);
    expect(pyCollapseSpace('a \t\u0085 b\ufeffc')).toBe('a b\ufeffc');
  });

  it('pyStripChars strips any combination of the given characters', () => {
    expect(pyStripChars(`"('.env')"`, `'"()[]{}`)).toBe('.env');
    expect(pyStripChars('`.env`', `'"()[]{}`)).toBe('`.env`');
    expect(pyStripChars('[]', `'"()[]{}`)).toBe('');
  });

  it('pyLower lower-cases Unicode like str.lower()', () => {
    expect(pyLower('.ENV İ ΣΑΣ')).toBe('.env i̇ σας');
  });
});

describe('code points (§4.3)', () => {
  it('counts a surrogate pair once and a lone surrogate once', () => {
    expect(cpLength('a😀b')).toBe(3);
    expect(cpLength('\ud800')).toBe(1);
    expect(cpLength('\udc00\ud800')).toBe(2);
    expect(cpLength('\ud83d\ude00\ud800')).toBe(2);
    expect(cpLength('')).toBe(0);
  });

  it('slices by code points like Python s[a:b]', () => {
    expect(cpSlice('a😀b😀c', 1, 3)).toBe('😀b');
    expect(cpSlice('a😀b', 2)).toBe('b');
    expect(cpSlice('abc', 0, 10)).toBe('abc');
    expect(cpSlice('abc', 2, 1)).toBe('');
    expect(cpSlice('\ud800x', 0, 1)).toBe('\ud800');
    expect(cpToUtf16Index('😀😀', 1)).toBe(2);
  });

  it('cuts with an ellipsis only above the limit', () => {
    expect(cpTruncateWithEllipsis('😀'.repeat(5), 5)).toBe('😀'.repeat(5));
    expect(cpTruncateWithEllipsis('😀'.repeat(6), 5)).toBe('😀😀...');
  });
});

describe('splitlines', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['a\n', ['a']],
    ['\n\n', ['', '']],
    ['a\n\nb', ['a', '', 'b']],
    ['\r\n', ['']],
    [
      'a\r\nb\rc\u000bd\u000ce\u001cf\u001dg\u001eh\u001fi\u0085j\u2028k\u2029l',
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h\u001fi', 'j', 'k', 'l'],
    ],
  ])('splitlines(%j) = %j', (input, expected) => {
    expect(splitlines(input)).toEqual(expected);
  });
});
