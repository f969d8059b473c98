/**
 * `npm run demo`: a sample teammate task through `bin/codex-wrapper` and the REAL codex binary,
 * against the bundled fake model server on 127.0.0.1. No account, no network, nothing left behind.
 * stdout: the wrapper's result, then the library's report (JSON); stderr: the live view and headings,
 * bold only on a terminal without NO_COLOR.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeModelServer } from '../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, hermeticWrapperEnv } from '../src/devtools/hermetic_codex.js';
import { runTeammatePayload } from '../src/index.js';
import { packageRoot } from '../src/infrastructure/package_paths.js';

const wrapper = path.join(packageRoot(), 'bin', 'codex-wrapper');

/** The demo's first line: what answers, and that nothing leaves the machine. */
const DEMO_NOTICE =
  'demo: the model is a scripted local fake on 127.0.0.1 (real codex binary, no account); nothing leaves this machine, and the CHECKS it reports were never run.';

// https://no-color.org: any non-empty NO_COLOR turns colour off; a pipe or file never gets escapes.
const bold = process.stderr.isTTY === true && !process.env.NO_COLOR;

const payload = {
  mode: 'execute',
  teammate_id: 'tm-demo',
  task: {
    id: 'T-1',
    title: 'Create a.txt',
    description: 'Create a.txt containing one line, then report in the 4-line format.',
    target_paths: ['a.txt'],
    depends_on: [],
    requires_plan: false,
    progress_log: [{ timestamp: 1763700000.5, source: 'system', text: 'claimed by tm-demo' }],
  },
};

function banner(text: string): void {
  process.stderr.write(bold ? `\n\x1b[1m== ${text} ==\x1b[0m\n` : `\n== ${text} ==\n`);
}

function runWrapper(env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(wrapper, [], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(JSON.stringify(payload));
  });
}

async function main(): Promise<void> {
  process.stderr.write(`${DEMO_NOTICE}\n`);
  const server = await startFakeModelServer({ defaultScenario: 'demo' });
  const home = createHermeticCodexHome({ baseUrl: server.baseUrl, modelCatalog: true });
  try {
    writeFileSync(path.join(home.workDir, 'README.md'), '# sample project\n');
    const env = { ...hermeticWrapperEnv(home), CODEX_STREAM_VIEW: process.env.CODEX_STREAM_VIEW ?? 'all' };

    banner(`bin/codex-wrapper, live view "${env.CODEX_STREAM_VIEW}" on stderr`);
    const started = Date.now();
    const cli = await runWrapper(env);
    banner(`stdout (the result), exit code ${cli.code}, ${Date.now() - started} ms`);
    process.stdout.write(`${cli.stdout}\n`);
    const created = path.join(home.workDir, 'a.txt');
    banner('the project afterwards');
    process.stderr.write(existsSync(created) ? `a.txt: ${readFileSync(created, 'utf8')}` : 'a.txt was not created\n');

    banner('the same task through the library API (runTeammatePayload)');
    const outcome = await runTeammatePayload(JSON.stringify(payload), { env, display: 'ignore' });
    const report = outcome.ok
      ? {
          ok: true,
          threadId: outcome.value.threadId,
          usage: outcome.value.usage,
          commands: outcome.value.commands.map((c) => `${c.command} -> exit ${c.exitCode}`),
          result: outcome.value.result,
          warnings: outcome.value.warnings,
          durationMs: outcome.value.durationMs,
        }
      : { ok: false, reason: outcome.error.reason, message: outcome.error.message };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = cli.code === 0 && outcome.ok ? 0 : 1;
  } finally {
    home.cleanup();
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
