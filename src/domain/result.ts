/**
 * The one internal result shape: a value, or an error value (never a throw). The error is a
 * {@link CodexChildError} unless a module's failures are plain message lines (the MCP layer's
 * input checks), which say so with `Result<T, string>`.
 */
import type { CodexChildError } from './errors.js';

/** A success with its value. */
export type Success<T> = { readonly ok: true; readonly value: T };

/** A failure with its error. */
export type Failure<E = CodexChildError> = { readonly ok: false; readonly error: E };

/** Success with a value, or failure with an error. */
export type Result<T, E = CodexChildError> = Success<T> | Failure<E>;

/** A success. */
export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}

/** A failure. */
export function err<E>(error: E): Failure<E> {
  return { ok: false, error };
}
