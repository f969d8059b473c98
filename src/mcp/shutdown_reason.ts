/** Abort reason used when the server itself shuts down (stdin closed, SIGTERM). Kept apart from the run path so start-up does not load it. */
export const SHUTDOWN_REASON = 'codex-child-mcp is shutting down';
