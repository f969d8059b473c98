/**
 * `npm run fixtures:record [-- --out DIR]`: re-records test/fixtures/codex-0.169/ from the pinned
 * codex (the npm launcher in node_modules) against the project's loopback fake model, hermetically
 * (fresh HOME / CODEX_HOME / TMPDIR, 127.0.0.1 only). Workspace paths become `/work/ws`, the 401
 * case's server URL `http://127.0.0.1:18080/v1`, as the fixtures' README describes. Run it when
 * the pinned codex moves, then `npm test` and read the diff. The README itself is kept.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_COMMAND, scriptedTurn, startFakeModelServer, type FakeModelServer, type FakeScenarioStep } from '../src/devtools/fake_model_server.js';
import { createHermeticCodexHome, resolveCodexLauncher, type HermeticCodexOptions } from '../src/devtools/hermetic_codex.js';
import { packageRoot } from '../src/infrastructure/package_paths.js';

const DEMO_PROMPT = 'Create a.txt containing one line, then report in the 4-line format.';
const EXTENDED_PROMPT = 'Do the extended demo';
const WS = '/work/ws';
const RECORDED_BASE_URL = 'http://127.0.0.1:18080/v1';

/** The extended turn: a passing command, a failing one, an apply_patch, the final message. */
const EXTENDED: FakeScenarioStep[] = [
  { items: [{ type: 'reasoning', summary: '**Planning**\n\nCreate the file, run a failing check, then patch.' }, { type: 'exec', cmd: DEMO_COMMAND }] },
  { items: [{ type: 'exec', cmd: "echo 'checking...'; echo 'oops' >&2; exit 3" }] },
  {
    items: [
      {
        type: 'raw',
        item: {
          type: 'custom_tool_call',
          status: 'completed',
          call_id: 'call_patch_1',
          name: 'apply_patch',
          input: '*** Begin Patch\n*** Update File: a.txt\n@@\n-hello from codex\n+hello from codex (patched)\n*** Add File: b.txt\n+new file b\n*** End Patch\n',
        },
      },
    ],
  },
  ...scriptedTurn({ result: 'RESULT: completed\nSUMMARY: created and patched a.txt, added b.txt\nCHANGED_FILES: a.txt\nCHECKS: npm test' }),
];

/** The nine failure cases of events-errors.txt, in its order. */
const FAILURES: { title: string; scenario: string; options?: Partial<HermeticCodexOptions>; refused?: boolean }[] = [
  { title: 'SSE response.failed', scenario: 'response_failed' },
  { title: 'HTTP 500', scenario: 'http_500' },
  { title: 'HTTP 400 (model_not_found)', scenario: 'http_400' },
  { title: 'HTTP 429', scenario: 'http_429' },
  { title: 'stream closed before response.completed', scenario: 'cut' },
  { title: 'SSE idle (stream_idle_timeout_ms=2000)', scenario: 'stall', options: { streamIdleTimeoutMs: 2000 } },
  { title: 'HTTP 401 wrong key (env_key provider)', scenario: 'http_401', options: { envKey: 'MOCK_API_KEY', apiKey: 'sk-wrong-fake-key' } },
  { title: 'connection refused (base_url on a closed port)', scenario: 'demo', refused: true },
  { title: 'missing env_key variable', scenario: 'demo', options: { envKey: 'NOT_SET_ANYWHERE' } },
];

interface Recorded {
  code: number | null;
  stdout: string;
  stderr: string;
  last: string;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * One codex run in a fresh hermetic home. `--json` runs get the prompt on stdin (`-`), as the
 * executor does; the human-readable runs get it as an argument with an empty stdin, which is how
 * the fixtures were first made (hence codex's `Reading additional input from stdin...` line).
 */
async function record(server: FakeModelServer, codexArgs: string[], prompt: string, options: Partial<HermeticCodexOptions> = {}, baseUrl = server.baseUrl): Promise<Recorded> {
  const home = createHermeticCodexHome({ baseUrl, ...options });
  try {
    // Its own git root: apply_patch diffs are relative to the nearest git root, and codex's
    // workspace-write sandbox leaves an empty `/tmp/.git` mount point behind (so without this a
    // later run would show paths relative to /tmp).
    execFileSync('git', ['init', '-q', home.workDir], { stdio: 'ignore' });
    const lastPath = path.join(home.root, 'last-message.txt');
    const viaStdin = codexArgs.includes('--json');
    const args = ['exec', ...codexArgs, '-o', lastPath, '--skip-git-repo-check', '-C', home.workDir, viaStdin ? '-' : prompt];
    const child = spawn(resolveCodexLauncher(), args, { cwd: home.workDir, env: home.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end(viaStdin ? prompt : '');
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    let last = '';
    try {
      last = readFileSync(lastPath, 'utf8');
    } catch {
      // a failed turn writes no -o file
    }
    // Command durations depend on the machine's load; the fixtures show them as 0ms.
    const normalise = (text: string) =>
      text.replaceAll(home.workDir, WS).replaceAll(server.baseUrl, RECORDED_BASE_URL).replace(/((?:succeeded|exited \d+) in )\d+(?:\.\d+)?m?s:/g, '$10ms:');
    return { code, stdout: normalise(stdout), stderr: normalise(stderr), last };
  } finally {
    home.cleanup();
  }
}

/**
 * The failing command writes `checking...` to stdout, then `oops` to stderr; codex merges the two
 * pipes as it reads them, so under load the order can flip. Re-run (up to 5 times) until it is the
 * recorded one, stdout first.
 */
async function recordInOrder(run: () => Promise<Recorded>): Promise<Recorded> {
  let last = await run();
  for (let attempt = 1; attempt < 5 && /oops(\\n|\n)checking\.\.\./.test(last.stdout + last.stderr); attempt += 1) last = await run();
  return last;
}

function combined(stdoutTitle: string, stderrTitle: string, run: Recorded): string {
  return `### ${stdoutTitle}\n${run.stdout}\n### ${stderrTitle}\n${run.stderr}`;
}

function expectCode(what: string, run: Recorded, code: number): void {
  if (run.code !== code) throw new Error(`${what}: codex exited ${run.code}, expected ${code}\n${run.stderr.slice(-2000)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = path.resolve(values.out ?? path.join(packageRoot(), 'test', 'fixtures', 'codex-0.169'));
  mkdirSync(out, { recursive: true });
  const server = await startFakeModelServer({ defaultScenario: 'demo', scenarios: { extended: EXTENDED } });
  const write = (name: string, text: string) => writeFileSync(path.join(out, name), text);
  try {
    const plainArgs = ['--color', 'never', '-m', 'mock-model', '-s', 'danger-full-access'];
    const plain = await record(server, plainArgs, DEMO_PROMPT);
    expectCode('plain', plain, 0);
    write('plain.stdout.txt', plain.stdout);
    write('plain.stderr.txt', plain.stderr);
    write('plain.txt', combined('codex exec --color never (stdout)', 'codex exec --color never (stderr)', plain));

    const json = await record(server, ['--json', '-m', 'mock-model', '-s', 'danger-full-access'], DEMO_PROMPT);
    expectCode('events', json, 0);
    write('events.jsonl', json.stdout);
    write('last-message.txt', json.last);

    const extendedArgs = ['-m', 'gpt-5.5', '-s', 'workspace-write'];
    const extendedPrompt = `${EXTENDED_PROMPT} [[scenario:extended]]`;
    // The scenario marker is for the fake server; the recorded prompt is the plain sentence.
    const unmark = (run: Recorded): Recorded => ({ ...run, stdout: run.stdout.replaceAll(' [[scenario:extended]]', ''), stderr: run.stderr.replaceAll(' [[scenario:extended]]', '') });
    const extended = unmark(await recordInOrder(() => record(server, ['--color', 'never', ...extendedArgs], extendedPrompt)));
    expectCode('plain-extended', extended, 0);
    write('plain-extended.stdout.txt', extended.stdout);
    write('plain-extended.stderr.txt', extended.stderr);
    write('plain-extended.txt', combined('codex exec --color never -m gpt-5.5 -s workspace-write (stdout)', '(stderr)', extended));
    const color = unmark(await recordInOrder(() => record(server, ['--color', 'always', ...extendedArgs], extendedPrompt)));
    expectCode('plain-color', color, 0);
    write('plain-color.stderr.txt', color.stderr);
    write('plain-color.txt', `### --color always, stderr, raw ANSI escapes (view with cat -v)\n${color.stderr}`);
    const extendedJson = unmark(await recordInOrder(() => record(server, ['--json', ...extendedArgs], extendedPrompt)));
    expectCode('events-extended', extendedJson, 0);
    write('events-extended.jsonl', extendedJson.stdout);

    const sections: string[] = [];
    for (const failure of FAILURES) {
      const baseUrl = failure.refused === true ? `http://127.0.0.1:${await closedPort()}/v1` : server.baseUrl;
      const run = await record(server, ['--json'], `fail please [[scenario:${failure.scenario}]]`, { ...failure.options, modelCatalog: true }, baseUrl);
      sections.push(`### ${failure.title}  (exit code ${run.code})\n${run.stdout}\n`);
    }
    write('events-errors.txt', sections.join(''));
    process.stderr.write(`fixtures:record: wrote ${out} (${readFileSync(path.join(out, 'events.jsonl'), 'utf8').split('\n').length - 1} demo events)\n`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`fixtures:record failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
