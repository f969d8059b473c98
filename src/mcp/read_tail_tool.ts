/**
 * `art_loop.read_text_tail`: the end of a log inside the runs root (contract §4). Answers at once;
 * it never waits behind codex runs.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from './config.js';
import { checkTailPath } from './path_policy.js';
import { readTextTail } from './text_tail.js';
import { refusal, textResult } from './tool_result.js';
import { checkReadTailArgs } from './tool_schemas.js';

/** Handles one call: the text (`""` for a missing file), or a one-line refusal. */
export async function readTailTool(rawArgs: unknown, config: ServerConfig): Promise<CallToolResult> {
  const args = checkReadTailArgs(rawArgs);
  if (!args.ok) return refusal(args.error);
  const checked = await checkTailPath(args.value.path, config.runsRoot, { base: config.repoRoot, home: config.env.HOME ?? undefined });
  if (!checked.ok) return refusal(checked.error);
  const tail = await readTextTail(checked.value, args.value.maxChars, config.runsRoot);
  return tail.ok ? textResult(tail.value) : refusal(tail.error);
}
