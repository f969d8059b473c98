/**
 * The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a temporary
 * prefix. Both bins answer --version from an unrelated directory, and with TARGET_PROJECT_DIR unset
 * the wrapper gives codex the installed package's own directory, never the prefix's bin/.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runWrapper } from '../support/wrapper_harness.js';

const run = promisify(execFile);
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
// Until the MCP server's own --version lands, its check is skipped with this reason.
const MCP_HAS_VERSION = readFileSync(path.join(REPO_ROOT, 'src/mcp/main.ts'), 'utf8').includes('--version');
const BLOCK = 'RESULT: completed\nSUMMARY: planned\nCHANGED_FILES: (none)\nCHECKS: (none)';

let dir: string;
let prefix: string;
let unrelated: string;
let npmEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'global-install-'));
  prefix = path.join(dir, 'prefix');
  unrelated = path.join(dir, 'elsewhere');
  mkdirSync(unrelated);
  // npm's own settings from a parent `npm test` (npm_config_*) must not steer this install.
  npmEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  // --ignore-scripts: the suite already built dist/; `prepare` would rebuild it under running tests.
  await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: REPO_ROOT, env: npmEnv });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  // The dependencies come from npm's cache when `npm ci` ran before (CI), else from the registry.
  await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, tarball)], { cwd: unrelated, env: npmEnv });
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('global install from the packed tarball', () => {
  it('puts both bins in <prefix>/bin as links into the installed package', () => {
    for (const bin of ['codex-wrapper', 'codex-child-mcp']) {
      expect(realpathSync(path.join(prefix, 'bin', bin))).toBe(realpathSync(path.join(prefix, 'lib/node_modules/codex-child/bin', bin)));
    }
    expect(existsSync(path.join(prefix, 'lib/node_modules/codex-child/LICENSE'))).toBe(true);
  });

  it('codex-wrapper --version answers from an unrelated directory', async () => {
    const { stdout } = await run(path.join(prefix, 'bin', 'codex-wrapper'), ['--version'], { cwd: unrelated });
    expect(stdout).toBe(`codex-wrapper ${VERSION}\n`);
  });

  it.skipIf(!MCP_HAS_VERSION)('codex-child-mcp --version answers from an unrelated directory', async () => {
    const { stdout } = await run(path.join(prefix, 'bin', 'codex-child-mcp'), ['--version'], { cwd: unrelated, timeout: 60_000 });
    expect(stdout).toContain(VERSION);
  });

  it('with TARGET_PROJECT_DIR unset, codex runs in the installed package, never in <prefix>/bin', async () => {
    const argvFile = path.join(dir, 'codex-argv');
    const wrapper = path.join(prefix, 'bin', 'codex-wrapper');
    const result = await runWrapper(
      JSON.stringify({ mode: 'plan', teammate_id: 'tm-1', task: { id: 'T-1', title: 'Plan', description: 'Make a plan' } }),
      {
        PATH: process.env.PATH,
        HOME: dir,
        TMPDIR: dir,
        CODEX_BIN: path.join(REPO_ROOT, 'test/support/fake_codex.sh'),
        CODEX_STREAM_LOGS: '0',
        FAKE_CODEX_ARGV_FILE: argvFile,
        FAKE_CODEX_LAST_MESSAGE: BLOCK,
      },
      { cwd: unrelated, bin: wrapper },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(BLOCK);
    const argv = readFileSync(argvFile, 'utf8').split('\0').slice(0, -1);
    expect(argv[argv.indexOf('-C') + 1]).toBe(realpathSync(path.join(prefix, 'lib/node_modules/codex-child')));
    const bin = path.join(prefix, 'bin');
    expect(argv.filter((arg) => arg === bin || arg.startsWith(`${bin}${path.sep}`) || arg === realpathSync(bin))).toEqual([]);
  });
});
