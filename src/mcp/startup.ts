/**
 * What the server checks before it answers anything: the configuration and the artist template.
 * Light on purpose (no SDK, no run path), so `initialize` can be answered early.
 */
import { loadServerConfig, type ServerConfig } from './config.js';
import { loadArtistTemplate, type LoadedTemplate } from './prompt_template.js';
import { MCP_EXIT } from './exit_codes.js';
import { SERVER_NAME } from './server_identity.js';
import { err } from '../domain/result.js';

export { MCP_EXIT };

/** One diagnostic line on stderr (stdout is the protocol). */
export function logLine(line: string): void {
  process.stderr.write(`[${SERVER_NAME}] ${line}\n`);
}

/** Checked start-up inputs. */
export interface Prepared {
  config: ServerConfig;
  template: LoadedTemplate;
}

/** Loads config and template; on a problem prints one line and exits 2. */
export async function prepareServer(): Promise<Prepared> {
  const loaded = await loadServerConfig(process.env, process.cwd()).catch((error: unknown) => err(error instanceof Error ? error.message : String(error)));
  if (!loaded.ok) {
    logLine(`cannot start: ${loaded.error}`);
    process.exit(MCP_EXIT.startup);
  }
  const template = await loadArtistTemplate(loaded.value.promptTemplatePath);
  if (!template.ok) {
    logLine(`cannot start: ${template.error}`);
    process.exit(MCP_EXIT.startup);
  }
  return { config: loaded.value, template: template.value };
}
