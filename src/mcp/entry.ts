/**
 * Entry of `bin/codex-child-mcp`: reads the command line, then loads only what the command needs
 * (the server for no arguments; nothing for `--help` / `--version`; the setup or doctor code).
 */
import { parseCliArgs, USAGE } from './cli_args.js';
import { EarlyStdioTransport } from './early_stdio.js';
import { MCP_EXIT } from './exit_codes.js';
import { serverIdentity } from './server_identity.js';
import { prepareServer } from './startup.js';


/** Runs the command line of the process. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const command = parseCliArgs(argv);
  switch (command.kind) {
    case 'serve': {
      // Read stdin at once; answer initialize as soon as the config is checked; then load the SDK.
      const transport = new EarlyStdioTransport();
      const prepared = await prepareServer();
      await transport.answerInitializeEarly(serverIdentity());
      return (await import('./main.js')).main({ prepared, transport });
    }
    case 'help':
      process.stdout.write(USAGE);
      return;
    case 'version':
      process.stdout.write(`codex-child-mcp ${(await import('../infrastructure/package_paths.js')).packageVersion()}\n`);
      return;
    case 'usage_error':
      process.stderr.write(`codex-child-mcp: ${command.message}\n`);
      process.exitCode = MCP_EXIT.usage;
      return;
    case 'setup': {
      const { runSetup } = await import('./setup/run_setup.js');
      process.exitCode = await runSetup(command, stdio);
      return;
    }
    case 'doctor': {
      const { runDoctor } = await import('./doctor.js');
      process.exitCode = await runDoctor({ repoRoot: command.repoRoot }, stdio);
      return;
    }
  }
}

const stdio = {
  out: (text: string) => void process.stdout.write(text),
  err: (line: string) => void process.stderr.write(`codex-child-mcp: ${line}\n`),
};
