/**
 * Python `str` text semantics that the V661 prompt code relies on: the whitespace set of
 * `str.strip()` / `str.isspace()` / `re` `\s`, `str.lower()`, `str.splitlines()` and lengths and
 * slices counted in code points (Python `len`), not UTF-16 units.
 *
 * All functions accept strings holding lone surrogates (a JSON `"\ud800"` escape produces one) and
 * never throw on them: a lone surrogate counts as one code point, exactly as in Python.
 */

/**
 * Python's whitespace set as a regex character-class body (contract §4.4). Unlike JavaScript's
 * `\s` it includes U+001C–U+001F and U+0085 and excludes U+FEFF. All members are in the BMP, so
 * the class works with and without the `u` flag.
 */
export const PY_WHITESPACE_CLASS =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const LEADING_WS = new RegExp(`^[${PY_WHITESPACE_CLASS}]+`);
const TRAILING_WS = new RegExp(`[${PY_WHITESPACE_CLASS}]+$`);
const WS_RUN = new RegExp(`[${PY_WHITESPACE_CLASS}]+`, 'g');
const COMMA_OR_WS_RUN = new RegExp(`[,${PY_WHITESPACE_CLASS}]+`);
const SINGLE_WS = new RegExp(`^[${PY_WHITESPACE_CLASS}]$`);

/** True when `ch` (one character, or a code point number) is whitespace for Python `str.isspace()`. */
export function isPySpace(ch: string | number): boolean {
  const s = typeof ch === 'number' ? String.fromCodePoint(ch) : ch;
  return SINGLE_WS.test(s);
}

/** Python `s.strip()` with no argument: removes Python whitespace (§4.4) from both ends. */
export function pyStrip(s: string): string {
  // Two anchored replaces instead of one alternation: `[ws]+$` alone is linear in V8, and the
  // leading pass never scans past the first non-space character.
  return s.replace(LEADING_WS, '').replace(TRAILING_WS, '');
}

/**
 * Python `s.strip(chars)`: removes any combination of the characters in `chars` from both ends.
 * `chars` must be BMP characters (the callers pass ASCII punctuation).
 */
export function pyStripChars(s: string, chars: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start] as string)) start += 1;
  while (end > start && chars.includes(s[end - 1] as string)) end -= 1;
  return s.slice(start, end);
}

/** Python `re.split(r"[,\s]+", s)` (str pattern, so `\s` is the Python whitespace set). */
export function pySplitCommaSpace(s: string): string[] {
  return s.split(COMMA_OR_WS_RUN);
}

/** Python `re.sub(r"\s+", replacement, s)`. */
export function pyCollapseSpace(s: string, replacement = ' '): string {
  return s.replace(WS_RUN, replacement);
}

/**
 * Python `str.lower()`. JavaScript's locale-independent `toLowerCase()` applies the same full
 * Unicode case mapping (including `İ` → `i̇` and the final-sigma rule); the two can only differ
 * for characters whose case mapping changed between the Unicode versions of Node's ICU and the
 * Python build. Callers use it to look for ASCII `.env`, which no such difference can affect.
 */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

/** True for a UTF-16 high surrogate unit. */
function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** True for a UTF-16 low surrogate unit. */
function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Python `len(s)`: the number of code points. A valid surrogate pair is one code point, a lone
 * surrogate is one code point too.
 */
export function cpLength(s: string): number {
  let pairs = 0;
  for (let i = 0; i < s.length - 1; i += 1) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) {
      pairs += 1;
      i += 1;
    }
  }
  return s.length - pairs;
}

/**
 * The UTF-16 index reached after stepping over `cp` code points from UTF-16 index `from`
 * (default 0); `s.length` when the string ends first. Negative `cp` is treated as 0.
 */
export function cpToUtf16Index(s: string, cp: number, from = 0): number {
  let index = from;
  let count = 0;
  while (index < s.length && count < cp) {
    index += isHigh(s.charCodeAt(index)) && index + 1 < s.length && isLow(s.charCodeAt(index + 1)) ? 2 : 1;
    count += 1;
  }
  return index;
}

/**
 * Python `s[start:end]` for non-negative bounds, counted in code points. Never splits a surrogate
 * pair. `end` defaults to the end of the string.
 */
export function cpSlice(s: string, start: number, end?: number): string {
  const from = cpToUtf16Index(s, Math.max(0, start));
  if (end === undefined) return s.slice(from);
  if (end <= start) return '';
  return s.slice(from, cpToUtf16Index(s, end - Math.max(0, start), from));
}

/**
 * Python's `text[:limit - 3] + "..."` when `len(text) > limit`, else `text` unchanged: the cut
 * that §6.3 applies to progress texts and to the recent block. `limit` is ≥ 3 for every caller.
 */
export function cpTruncateWithEllipsis(text: string, limit: number): string {
  return cpLength(text) > limit ? cpSlice(text, 0, limit - 3) + '...' : text;
}

/**
 * Line boundaries of Python `str.splitlines()`: `\n`, `\r\n`, `\r`, `\v`, `\f`, U+001C–U+001E,
 * U+0085, U+2028, U+2029. (U+001F is whitespace but not a line boundary.)
 */
const LINE_BOUNDARY = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

/**
 * Python `s.splitlines()` (without `keepends`): no empty last element for a trailing boundary,
 * and `''` gives `[]`.
 */
export function splitlines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split(LINE_BOUNDARY);
  // A trailing boundary leaves one empty element that Python does not produce.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
