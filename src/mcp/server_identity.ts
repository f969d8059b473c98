/** Name, version and capabilities the server announces (light: no SDK import, used before it loads). */
import type { ServerIdentity } from './early_stdio.js';
import { packageVersion } from '../infrastructure/package_paths.js';

/** Name the server announces in `initialize`. */
export const SERVER_NAME = 'codex-child-mcp';

/** Capabilities as the SDK's McpServer announces them once tools are registered. */
export const SERVER_CAPABILITIES = { tools: { listChanged: true } } as const;

/** The identity for `initialize`. */
export function serverIdentity(): ServerIdentity {
  return { name: SERVER_NAME, version: packageVersion(), capabilities: structuredClone(SERVER_CAPABILITIES) as Record<string, unknown> };
}
