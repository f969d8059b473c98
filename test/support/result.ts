/** Test helpers for the one `Result` shape (src/domain/result.ts). */
import type { Result } from '../../src/domain/result.js';

/** The value of a success; throws (failing the test) with the error's message otherwise. */
export function valueOf<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  const error = result.error as unknown;
  throw new Error(`expected a success, got: ${error instanceof Error ? error.message : String(error)}`);
}

/** The error of a failure, or null for a success. */
export function errorOf<T, E>(result: Result<T, E>): E | null {
  return result.ok ? null : result.error;
}
