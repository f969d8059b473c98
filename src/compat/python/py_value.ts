/**
 * The value tree produced by the Python-compatible JSON reader ({@link parsePyJson}). It keeps
 * everything `JSON.parse` loses and the V661 prompt can show: integer versus float literals,
 * exact big integers, and object keys in document order with Python dict semantics.
 */

/** JSON `null` (Python `None`). */
export interface PyNone {
  readonly kind: 'null';
}
/** JSON `true` / `false` (Python `bool`). */
export interface PyBool {
  readonly kind: 'bool';
  readonly value: boolean;
}
/** A number literal without `.`, `e`, `E` (Python `int`, exact at any size). */
export interface PyInt {
  readonly kind: 'int';
  readonly value: bigint;
}
/** A number literal with `.`, `e` or `E`, or `NaN` / `Infinity` / `-Infinity` (Python `float`). */
export interface PyFloat {
  readonly kind: 'float';
  readonly value: number;
}
/** A string; may hold lone surrogates decoded from `\uD800`-style escapes. */
export interface PyStr {
  readonly kind: 'str';
  readonly value: string;
}
/** A JSON array (Python `list`). */
export interface PyList {
  readonly kind: 'list';
  readonly items: PyValue[];
}
/**
 * A JSON object (Python `dict`). The `Map` keeps the position where a key first appeared while a
 * later duplicate overwrites the value, which is exactly what `json.loads` builds.
 */
export interface PyDict {
  readonly kind: 'dict';
  readonly entries: Map<string, PyValue>;
}

/** Any value `json.loads` can return. */
export type PyValue = PyNone | PyBool | PyInt | PyFloat | PyStr | PyList | PyDict;

/** The shared `None` value. */
export const PY_NONE: PyNone = Object.freeze({ kind: 'null' });

/** Builds a Python `str` value. */
export function pyString(value: string): PyStr {
  return { kind: 'str', value };
}

/** Builds an empty Python `list` (a fresh one each time: lists are mutable). */
export function emptyList(): PyList {
  return { kind: 'list', items: [] };
}

/** Builds an empty Python `dict` (a fresh one each time). */
export function emptyDict(): PyDict {
  return { kind: 'dict', entries: new Map() };
}

/** Type guard for a Python `dict`. */
export function isPyDict(value: PyValue | undefined): value is PyDict {
  return value !== undefined && value.kind === 'dict';
}

/** Type guard for a Python `list`. */
export function isPyList(value: PyValue | undefined): value is PyList {
  return value !== undefined && value.kind === 'list';
}
