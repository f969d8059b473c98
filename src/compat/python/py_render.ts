/**
 * Python's truthiness, `str()` and `repr()` for JSON values (contract §4.1, §4.2), so that the
 * prompt shows `True`, `None`, `1.0`, `1e+16`, `['a', 1]` and `{'k': [1]}` exactly as V661 did.
 */
import type { PyValue } from './py_value.js';

/**
 * Python `bool(value)`: falsy are `None`, `False`, `0`, `0.0`, `-0.0`, `""`, `[]` and `{}`.
 * `NaN`, `"0"`, `"false"` and whitespace-only strings are truthy.
 */
export function pyTruthy(value: PyValue): boolean {
  switch (value.kind) {
    case 'null':
      return false;
    case 'bool':
      return value.value;
    case 'int':
      return value.value !== 0n;
    case 'float':
      // NaN !== 0, so NaN is truthy as in Python; -0.0 === 0 is falsy.
      return value.value !== 0;
    case 'str':
      return value.value.length > 0;
    case 'list':
      return value.items.length > 0;
    case 'dict':
      return value.entries.size > 0;
  }
}

/**
 * Python `value or fallback` for a dict lookup: `dict.get(key)` gives `None` for a missing key
 * (`undefined` here), which is falsy.
 */
export function pyOr(value: PyValue | undefined, fallback: PyValue): PyValue {
  return value !== undefined && pyTruthy(value) ? value : fallback;
}

/** Python `str(value or fallback)`, the V661 rule for `teammate_id`, `task.id`, `title`, … */
export function pyStrOr(value: PyValue | undefined, fallback: string): string {
  return value !== undefined && pyTruthy(value) ? pyStr(value) : fallback;
}

/**
 * Python `str(value)`: strings unchanged, `True`/`False`/`None`, exact integers, float repr,
 * and containers in repr form.
 */
export function pyStr(value: PyValue): string {
  return value.kind === 'str' ? value.value : pyRepr(value);
}

/**
 * Python `repr(value)`. Containers recurse once per nesting level; trees from `parsePyJson` are at
 * most `PY_JSON_MAX_DEPTH` (995) levels deep, far below the JS stack limit.
 */
export function pyRepr(value: PyValue): string {
  switch (value.kind) {
    case 'null':
      return 'None';
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'int':
      // BigInt has no negative zero, so `-0` already prints as `0`.
      return value.value.toString();
    case 'float':
      return pyFloatRepr(value.value);
    case 'str':
      return pyStrRepr(value.value);
    case 'list':
      return `[${value.items.map(pyRepr).join(', ')}]`;
    case 'dict': {
      const parts: string[] = [];
      for (const [key, item] of value.entries) parts.push(`${pyStrRepr(key)}: ${pyRepr(item)}`);
      return `{${parts.join(', ')}}`;
    }
  }
}

/**
 * Characters `repr()` escapes: backslash, both quotes (only the chosen one is escaped, decided in
 * the callback) and every non-printable code point — categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs
 * except U+0020 (CPython's `Py_UNICODE_ISPRINTABLE`). With the `u` flag a lone surrogate is
 * matched as one `Cs` code point and a valid pair as one astral code point.
 */
const REPR_SPECIAL = /[\\'"]|(?! )[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/gu;

/**
 * Python `repr(s)` of a string: single quotes unless the string contains `'` and no `"`;
 * `\\`, the chosen quote, `\t`, `\n`, `\r` escaped; other non-printables as `\xhh`, `\uhhhh` or
 * `\Uhhhhhhhh` (lower-case hex). Unassigned (`Cn`) follows Node's Unicode tables, which can be a
 * newer Unicode version than the Python build's.
 */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(REPR_SPECIAL, (ch) => {
    if (ch === '\\') return '\\\\';
    if (ch === "'" || ch === '"') return ch === quote ? `\\${ch}` : ch;
    if (ch === '\t') return '\\t';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    const code = ch.codePointAt(0) as number;
    if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
    if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
    return `\\U${code.toString(16).padStart(8, '0')}`;
  });
  return quote + body + quote;
}

/**
 * Python `repr(float)` (= `str(float)`): the shortest digits that round-trip — the same digits
 * ECMAScript's `toExponential()` without argument yields — laid out positionally with at least one
 * fractional digit when the decimal exponent is in [-4, 15], otherwise as `d[.ddd]e±XX`
 * (`1e+16`, `1e-05`). Specials: `nan`, `inf`, `-inf`, `-0.0`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa = '', expText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exp < 0 ? '-' : '+';
    return `${sign}${head}e${expSign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1);
  return `${sign}${intPart}.${fraction === '' ? '0' : fraction}`;
}
