/** MCP_EXIT: the documented exit codes of bin/codex-child-mcp (README, art-loop contract). */
import { describe, expect, it } from 'vitest';
import { MCP_EXIT } from '../../../src/mcp/exit_codes.js';
import { MCP_EXIT as REEXPORTED } from '../../../src/mcp/startup.js';

describe('MCP_EXIT', () => {
  it('is 0 ok, 1 a failed one-shot command, 2 usage and start-up errors', () => {
    expect(MCP_EXIT).toEqual({ ok: 0, failed: 1, usage: 2, startup: 2 });
  });

  it('is the one table: startup.ts re-exports the same object', () => {
    expect(REEXPORTED).toBe(MCP_EXIT);
  });
});
