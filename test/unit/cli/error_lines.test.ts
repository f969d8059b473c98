/** stderrLinesOf: a failure prints its diagnostics, then its message, then its trailer. */
import { describe, expect, it } from 'vitest';
import { stderrLinesOf } from '../../../src/cli/error_lines.js';
import { childError } from '../../../src/domain/errors.js';

describe('stderrLinesOf', () => {
  it('orders diagnostics, message, trailer', () => {
    const error = childError({ reason: 'empty_stdin', message: 'the message', diagnostics: ['d1', 'd2'], trailer: ['t1'] });
    expect(stderrLinesOf(error)).toEqual(['d1', 'd2', 'the message', 't1']);
  });

  it('is just the message when there is nothing else', () => {
    expect(stderrLinesOf(childError({ reason: 'empty_stdin', message: 'only' }))).toEqual(['only']);
  });
});
