/**
 * Python number formatting and parsing used by the prompt: `format(x, ".Nf")` with exact decimal
 * rounding (contract §6.3) and `int()` of environment variables with default and clamp (§2.1).
 */
import { PY_INT_MAX_STR_DIGITS } from './py_json.js';
import { pyStrip } from './py_text.js';
import type { EnvRecord } from '../../infrastructure/env.js';

/**
 * Python `format(x, f".{precision}f")` for a float: the exact binary value of `x` rounded to
 * `precision` decimals with ties to even (so `0.0625` → `0.062`, where `toFixed` gives `0.063`),
 * a `-` sign for every negative value including `-0.0` and values that round to zero, and
 * `nan` / `inf` / `-inf`. Exact for every double, using `BigInt` arithmetic.
 */
export function pyFormatFixed(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(Math.abs(x));
  const scaled = mantissa * 10n ** BigInt(precision);
  let units: bigint;
  if (exponent >= 0) {
    units = scaled << BigInt(exponent);
  } else {
    // units = round_half_even(scaled / 2^-exponent)
    const divisor = 1n << BigInt(-exponent);
    units = scaled / divisor;
    const twiceRest = (scaled % divisor) * 2n;
    if (twiceRest > divisor || (twiceRest === divisor && units % 2n === 1n)) units += 1n;
  }
  const text = units.toString().padStart(precision + 1, '0');
  const whole = text.slice(0, text.length - precision);
  const fraction = text.slice(text.length - precision);
  return `${negative ? '-' : ''}${whole}${precision > 0 ? `.${fraction}` : ''}`;
}

/** Python `format(x, ".3f")`, the progress-log timestamp format. */
export function formatFixed3(x: number): string {
  return pyFormatFixed(x, 3);
}

/** A finite non-negative double as `mantissa * 2^exponent` with an integer mantissa. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // Subnormals (biased 0) have no implicit leading 1 and the exponent of biased 1.
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** Digit value of a Unicode decimal digit (`\p{Nd}`), or -1. */
function decimalDigitValue(ch: string): number {
  const code = ch.codePointAt(0) as number;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (!ND.test(ch)) return -1;
  // Unicode guarantees that Nd characters come in contiguous runs of ten, 0 to 9, so the value is
  // the distance from the start of the run modulo 10 (runs like U+1D7CE… hold several sets).
  let start = code;
  while (start > 0 && ND.test(String.fromCodePoint(start - 1))) start -= 1;
  return (code - start) % 10;
}

const ND = /^\p{Nd}$/u;

/**
 * Python `int(text)` in base 10, or `null` where Python raises `ValueError`: Python whitespace
 * around the number, an optional sign, any Unicode decimal digits (`١٢`, `１２`), single
 * underscores between digits, leading zeros, and at most 4300 digits (CPython's default
 * `int_max_str_digits`). `1e3`, `0x10`, `1.5`, `_1`, `1__0`, `1_` are rejected.
 */
export function parsePyInt(text: string): bigint | null {
  const s = pyStrip(text);
  let i = 0;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    i = 1;
  }
  let digits = '';
  let previousUnderscore = true; // an underscore may not come first
  for (const ch of s.slice(i)) {
    if (ch === '_') {
      if (previousUnderscore) return null;
      previousUnderscore = true;
      continue;
    }
    const value = decimalDigitValue(ch);
    if (value < 0) return null;
    digits += String(value);
    previousUnderscore = false;
  }
  if (digits === '' || previousUnderscore) return null;
  if (digits.length > PY_INT_MAX_STR_DIGITS) return null;
  const magnitude = BigInt(digits);
  return negative ? -magnitude : magnitude;
}

/** Default and bounds of one integer environment variable. */
export interface IntEnvSpec {
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
}

/**
 * V661's `_safe_int_env`: the variable stripped of Python whitespace; empty or unset → `fallback`;
 * not a Python `int()` → `fallback` (not the minimum); otherwise clamped to [`min`, `max`].
 * Never fails.
 */
export function readPyIntEnv(env: EnvRecord, name: string, spec: IntEnvSpec): number {
  const raw = pyStrip(env[name] ?? '');
  if (raw === '') return spec.fallback;
  const value = parsePyInt(raw);
  if (value === null) return spec.fallback;
  if (value < BigInt(spec.min)) return spec.min;
  if (value > BigInt(spec.max)) return spec.max;
  return Number(value);
}
