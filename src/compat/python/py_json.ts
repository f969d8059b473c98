/**
 * A lossless JSON reader with the semantics and error texts of CPython 3.11's `json.loads`
 * (the C scanner, `strict=True`), which V661 used to read the payload (contract §3.4):
 *
 * - `NaN`, `Infinity`, `-Infinity` are floats; integer literals stay exact (`bigint`); a literal
 *   with `.`, `e` or `E` is a float;
 * - duplicate keys: the last value wins at the position of the first occurrence;
 * - whitespace between tokens is space, TAB, LF, CR only;
 * - errors read `<reason>: line <L> column <C> (char <P>)` with a 0-based code-point offset `P`,
 *   as Python's `JSONDecodeError` prints them;
 * - integers with more than 4300 digits fail with Python's `int` digit-limit message;
 * - nesting deeper than {@link PY_JSON_MAX_DEPTH} fails with Python's RecursionError text.
 *
 * The reader is iterative (an explicit stack), so hostile nesting cannot overflow the JS stack,
 * and it scans with plain `charCodeAt` loops, so an 8 MiB payload parses in well under a second.
 */
import type { PyDict, PyList, PyValue } from './py_value.js';
import { PY_NONE } from './py_value.js';
import { err, ok, type Result } from '../../domain/result.js';

/**
 * Deepest container nesting accepted. CPython 3.11 running V661's module-level
 * `json.loads(os.environ["PAYLOAD"])` accepts 995 nested arrays/objects and raises
 * `RecursionError` on the 996th (measured with `python3 -`; the exact number depends on the Python
 * version and stack depth, so this pins the 3.11 value). The failure becomes the usual one-line
 * `invalid input payload: maximum recursion depth exceeded while decoding a JSON array from a
 * unicode string`, which is exactly what V661 printed, since it caught every `Exception`.
 */
export const PY_JSON_MAX_DEPTH = 995;

/** CPython's default `sys.get_int_max_str_digits()` (3.11+): longer integer literals fail. */
export const PY_INT_MAX_STR_DIGITS = 4300;

/** Result of {@link parsePyJson}: the value, or Python's error text (without any prefix). */
export type PyJsonResult = Result<PyValue, string>;

/**
 * Parses `text` like Python `json.loads(text)`. Never throws for any input string.
 *
 * @returns `{ ok: true, value }` or `{ ok: false, error }` where `error` is the text of the
 *   Python exception, e.g. `Expecting value: line 1 column 1 (char 0)`.
 */
export function parsePyJson(text: string): PyJsonResult {
  try {
    return ok(new Scanner(text).document());
  } catch (error) {
    if (error instanceof DecodeFailure) return err(error.message);
    throw error;
  }
}

/**
 * Internal failure signal. Deliberately not an `Error`: no stack trace is captured or printed,
 * and `parsePyJson` converts it to a result value before it can escape.
 */
class DecodeFailure {
  constructor(readonly message: string) {}
}

/** An open array or object while scanning; `key` is the key whose value is being read. */
interface Frame {
  readonly container: PyList | PyDict;
  key: string;
}

/** The C scanner's number grammar (ASCII digits only); a dangling `.`/`e` is left unread. */
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

/** The UTF-16 unit a single-character escape stands for, or -1 (`\uXXXX` is handled apart). */
function simpleEscape(code: number): number {
  switch (code) {
    case 0x22: // "
    case 0x5c: // \
    case 0x2f: // /
      return code;
    case 0x62: // b
      return 0x08;
    case 0x66: // f
      return 0x0c;
    case 0x6e: // n
      return 0x0a;
    case 0x72: // r
      return 0x0d;
    case 0x74: // t
      return 0x09;
    default:
      return -1;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

class Scanner {
  private readonly length: number;
  /** Scratch space for strings with escapes (4096 units: far below `fromCharCode.apply`'s limit). */
  private readonly buffer = new Uint16Array(4096);

  constructor(private readonly text: string) {
    this.length = text.length;
  }

  /** `json.loads`: BOM check, leading whitespace, one value, trailing whitespace, `Extra data`. */
  document(): PyValue {
    if (this.text.charCodeAt(0) === 0xfeff) {
      this.fail('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
    }
    const [value, end] = this.value(this.skipWs(0));
    const after = this.skipWs(end);
    if (after !== this.length) this.fail('Extra data', after);
    return value;
  }

  /**
   * Reads one value starting at `start` (which may open nested containers) and returns it with
   * the index just after it. Containers are tracked on an explicit stack instead of recursion.
   */
  private value(start: number): [PyValue, number] {
    const stack: Frame[] = [];
    let idx = start;
    for (;;) {
      // Phase 1: read the value at idx. Non-empty containers are pushed and their first element
      // is read on the next iteration.
      let value: PyValue;
      const c = this.text.charCodeAt(idx);
      if (c === QUOTE) {
        const [s, end] = this.string(idx + 1);
        value = { kind: 'str', value: s };
        idx = end;
      } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        const isObject = c === 0x7b;
        if (stack.length >= PY_JSON_MAX_DEPTH) {
          const what = isObject ? 'object' : 'array';
          throw new DecodeFailure(
            `maximum recursion depth exceeded while decoding a JSON ${what} from a unicode string`,
          );
        }
        const inner = this.skipWs(idx + 1);
        if (this.text.charCodeAt(inner) === (isObject ? 0x7d : 0x5d)) {
          value = isObject ? { kind: 'dict', entries: new Map() } : { kind: 'list', items: [] };
          idx = inner + 1;
        } else if (isObject) {
          const [key, valueStart] = this.key(inner);
          stack.push({ container: { kind: 'dict', entries: new Map() }, key });
          idx = valueStart;
          continue;
        } else {
          stack.push({ container: { kind: 'list', items: [] }, key: '' });
          idx = inner;
          continue;
        }
      } else {
        [value, idx] = this.scalar(idx);
      }

      // Phase 2: hand the finished value to the open containers, closing as many as end here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return [value, idx];
        const { container } = top;
        if (container.kind === 'list') container.items.push(value);
        else container.entries.set(top.key, value);
        idx = this.skipWs(idx);
        const d = this.text.charCodeAt(idx);
        if (d === (container.kind === 'list' ? 0x5d : 0x7d)) {
          stack.pop();
          value = container;
          idx += 1;
          continue;
        }
        if (d !== 0x2c /* , */) this.fail("Expecting ',' delimiter", idx);
        idx = this.skipWs(idx + 1);
        if (container.kind === 'dict') [top.key, idx] = this.key(idx);
        break;
      }
    }
  }

  /** `"key"`, whitespace, `:`, whitespace; returns the key and the index of its value. */
  private key(idx: number): [string, number] {
    if (this.text.charCodeAt(idx) !== QUOTE) {
      this.fail('Expecting property name enclosed in double quotes', idx);
    }
    const [key, end] = this.string(idx + 1);
    const colon = this.skipWs(end);
    if (this.text.charCodeAt(colon) !== 0x3a /* : */) this.fail("Expecting ':' delimiter", colon);
    return [key, this.skipWs(colon + 1)];
  }

  /** Literals and numbers, in the C scanner's order; anything else is `Expecting value`. */
  private scalar(idx: number): [PyValue, number] {
    const t = this.text;
    switch (t[idx]) {
      case 'n':
        if (t.startsWith('null', idx)) return [PY_NONE, idx + 4];
        break;
      case 't':
        if (t.startsWith('true', idx)) return [{ kind: 'bool', value: true }, idx + 4];
        break;
      case 'f':
        if (t.startsWith('false', idx)) return [{ kind: 'bool', value: false }, idx + 5];
        break;
      case 'N':
        if (t.startsWith('NaN', idx)) return [{ kind: 'float', value: Number.NaN }, idx + 3];
        break;
      case 'I':
        if (t.startsWith('Infinity', idx)) return [{ kind: 'float', value: Infinity }, idx + 8];
        break;
      case '-':
        if (t.startsWith('-Infinity', idx)) return [{ kind: 'float', value: -Infinity }, idx + 9];
        break;
      default:
        break;
    }
    NUMBER.lastIndex = idx;
    const match = NUMBER.exec(t);
    if (match === null) this.fail('Expecting value', idx);
    const literal = match[0];
    const end = idx + literal.length;
    if (match[1] !== undefined || match[2] !== undefined) {
      // Number() rounds a decimal string correctly, like Python's float(); overflow gives ±inf.
      return [{ kind: 'float', value: Number(literal) }, end];
    }
    const digits = literal.length - (literal.startsWith('-') ? 1 : 0);
    if (digits > PY_INT_MAX_STR_DIGITS) {
      throw new DecodeFailure(
        `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: ` +
          `value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
      );
    }
    return [{ kind: 'int', value: BigInt(literal) }, end];
  }

  /**
   * The body of a string whose opening quote is at `start - 1`. Mirrors CPython's
   * `scanstring_unicode`, including where each error points and how `\uD8xx\uDCxx` pairs join.
   */
  private string(start: number): [string, number] {
    const t = this.text;
    const length = this.length;
    let idx = start;
    while (idx < length) {
      const c = t.charCodeAt(idx);
      if (c === QUOTE) return [t.slice(start, idx), idx + 1];
      if (c === BACKSLASH || c < 0x20) break;
      idx += 1;
    }
    return this.escapedString(start, idx);
  }

  /**
   * Slow path of {@link string} from the first backslash (or error) at `from`. Long plain runs are
   * kept as slices; escapes and short runs go through a fixed UTF-16 buffer. Both stay linear
   * however dense the escapes are (string `+=` or one part per escape would build millions of
   * small strings for `\n`-heavy payloads).
   */
  private escapedString(start: number, from: number): [string, number] {
    const t = this.text;
    const length = this.length;
    const begin = start - 1;
    const buffer = this.buffer;
    const parts: string[] = [];
    let n = 0;
    const flush = (): void => {
      // apply() takes the typed array as an array-like, avoiding spread's iterator protocol.
      if (n > 0) parts.push(String.fromCharCode.apply(null, buffer.subarray(0, n) as unknown as number[]));
      n = 0;
    };
    const push = (unit: number): void => {
      if (n === buffer.length) flush();
      buffer[n] = unit;
      n += 1;
    };
    let runStart = start;
    let idx = from;
    for (;;) {
      // idx is at the end of a plain run [runStart, idx).
      if (idx - runStart > 8) {
        flush();
        parts.push(t.slice(runStart, idx));
      } else {
        for (let i = runStart; i < idx; i += 1) push(t.charCodeAt(i));
      }
      if (idx >= length) this.fail('Unterminated string starting at', begin);
      const c = t.charCodeAt(idx);
      if (c === QUOTE) {
        flush();
        return [parts.length === 1 ? (parts[0] as string) : parts.join(''), idx + 1];
      }
      if (c !== BACKSLASH) this.fail('Invalid control character at', idx);
      const escape = idx + 1;
      if (escape >= length) this.fail('Unterminated string starting at', begin);
      const e = t.charCodeAt(escape);
      if (e !== 0x75 /* u */) {
        const decoded = simpleEscape(e);
        if (decoded < 0) this.fail('Invalid \\escape', idx);
        push(decoded);
        idx = escape + 1;
      } else {
        let end = escape + 5;
        // CPython demands at least one character after the four digits (else it is an error
        // even when the digits are fine), and reports both cases at the `u`.
        if (end >= length) this.fail('Invalid \\uXXXX escape', escape);
        const code = this.hex4(escape + 1);
        if (code < 0) this.fail('Invalid \\uXXXX escape', escape);
        push(code);
        const pairFollows =
          end + 6 < length && t.charCodeAt(end) === BACKSLASH && t.charCodeAt(end + 1) === 0x75 /* u */;
        if (code >= 0xd800 && code <= 0xdbff && pairFollows) {
          const low = this.hex4(end + 2);
          if (low < 0) this.fail('Invalid \\uXXXX escape', end + 1);
          // A high and a low surrogate escape form one code point, which in UTF-16 is exactly
          // the two units; any other second escape is decoded on its own in the next round.
          if (low >= 0xdc00 && low <= 0xdfff) {
            push(low);
            end += 6;
          }
        }
        // A lone surrogate stays a lone UTF-16 unit: one code point, as in Python.
        idx = end;
      }
      runStart = idx;
      while (idx < length) {
        const d = t.charCodeAt(idx);
        if (d === QUOTE || d === BACKSLASH || d < 0x20) break;
        idx += 1;
      }
    }
  }

  /** Value of four hex digits at `at`, or -1 if any is not `[0-9a-fA-F]`. */
  private hex4(at: number): number {
    let code = 0;
    for (let i = at; i < at + 4; i += 1) {
      const d = this.text.charCodeAt(i);
      let v: number;
      if (d >= 0x30 && d <= 0x39) v = d - 0x30;
      else if (d >= 0x61 && d <= 0x66) v = d - 0x57;
      else if (d >= 0x41 && d <= 0x46) v = d - 0x37;
      else return -1;
      code = code * 16 + v;
    }
    return code;
  }

  /** Index of the first character at or after `idx` that is not JSON whitespace. */
  private skipWs(idx: number): number {
    const t = this.text;
    let i = idx;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i += 1;
      else return i;
    }
  }

  /** Throws Python's `JSONDecodeError` text for UTF-16 index `pos`. */
  private fail(reason: string, pos: number): never {
    throw new DecodeFailure(formatDecodeError(this.text, reason, pos));
  }
}

/**
 * Python's `JSONDecodeError` message: line = number of `\n` before `pos` + 1, column and char
 * counted in code points (`pos` is a UTF-16 index here and is converted).
 */
function formatDecodeError(text: string, reason: string, pos: number): string {
  let line = 1;
  let lastNewline = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lastNewline = i;
  }
  const cpPos = pos - surrogatePairsIn(text, 0, pos);
  const column = lastNewline < 0 ? cpPos + 1 : pos - lastNewline - surrogatePairsIn(text, lastNewline, pos);
  return `${reason}: line ${line} column ${column} (char ${cpPos})`;
}

/** Number of valid surrogate pairs starting in `text[from, to)`. */
function surrogatePairsIn(text: string, from: number, to: number): number {
  let pairs = 0;
  for (let i = from; i < to - 1; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs += 1;
        i += 1;
      }
    }
  }
  return pairs;
}
