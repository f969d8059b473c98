/**
 * The one table of exit codes of `bin/codex-child-mcp` (server and one-shot commands). The
 * wrapper's codes are `EXIT`/`REASON_EXIT` in domain/errors.ts; a child run's failure never ends
 * the server, it is a tool result.
 */
export const MCP_EXIT = {
  ok: 0,
  /** A one-shot command (`setup`, `doctor`) failed. */
  failed: 1,
  /** Bad command line. */
  usage: 2,
  /** The server cannot start: bad configuration or prompt template (one line on stderr). */
  startup: 2,
} as const;
