/** SHUTDOWN_REASON: the abort reason of a server shutdown, as it shows up in run results. */
import { describe, expect, it } from 'vitest';
import { SHUTDOWN_REASON } from '../../../src/mcp/shutdown_reason.js';

describe('SHUTDOWN_REASON', () => {
  it('names the server and says it is shutting down, on one line', () => {
    expect(SHUTDOWN_REASON).toBe('codex-child-mcp is shutting down');
    expect(SHUTDOWN_REASON).not.toMatch(/\n/);
  });
});
