/** How the drop-in CLI prints a failure: a presentation concern, kept out of domain/. */
import type { CodexChildError } from '../domain/errors.js';

/** Every stderr line of a failure in print order: diagnostics, message, trailer. */
export function stderrLinesOf(error: CodexChildError): string[] {
  return [...error.diagnostics, error.message, ...error.trailer];
}
