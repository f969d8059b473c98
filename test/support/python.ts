/**
 * Helpers shared by the Python-compatibility tests: whether python3 is there to cross-check
 * against, and PyValues written as JSON text.
 */
import { spawnSync } from 'node:child_process';
import { parsePyJson } from '../../src/compat/python/py_json.js';
import type { PyValue } from '../../src/compat/python/py_value.js';

/** True when python3 runs here (the cross-check tests skip themselves otherwise). */
export const hasPython = spawnSync('python3', ['--version']).status === 0;

/** A PyValue from JSON text (Python semantics); throws on invalid JSON. */
export function py(text: string): PyValue {
  const result = parsePyJson(text);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}
