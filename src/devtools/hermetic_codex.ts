/**
 * Hermetic homes for running the REAL codex binary offline against the fake model server
 * (spec `codex-cli.md` §7): fresh HOME / CODEX_HOME / TMPDIR per run, a config.toml that makes codex
 * talk to 127.0.0.1 only, and an environment that does not leak the caller's.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Options of {@link createHermeticCodexHome}. */
export interface HermeticCodexOptions {
  /** The provider's `base_url`, e.g. the fake server's `baseUrl` (`http://127.0.0.1:PORT/v1`). */
  baseUrl: string;
  /** Directory that receives the run's root directory. Default `os.tmpdir()`. */
  parentDir?: string;
  /** Model slug. Default `mock-model`. */
  model?: string;
  /** Provider `stream_idle_timeout_ms`. Default 20000. Use ~1000 for idle-timeout tests. */
  streamIdleTimeoutMs?: number;
  /**
   * Provider `env_key`: codex sends the value of this variable as the bearer. With `apiKey` the
   * variable is also put into `env`. Without `env_key`, requests carry no Authorization header
   * (unless `requiresOpenaiAuth`).
   */
  envKey?: string;
  /** Fake key value for `envKey` (never a real credential). */
  apiKey?: string;
  /** Provider `requires_openai_auth = true`: use CODEX_API_KEY or `$CODEX_HOME/auth.json`. */
  requiresOpenaiAuth?: boolean;
  /**
   * ChatGPT-mode "simple route" (spec §11.4): sets `chatgpt_base_url` to this URL (e.g.
   * `${server.url}/backend-api/`), disables the `apps` feature, and points
   * CODEX_REFRESH_TOKEN_URL_OVERRIDE at `<origin>/oauth/token`. Implies `requiresOpenaiAuth`.
   */
  chatgptBaseUrl?: string;
  /**
   * Write `model_catalog.json` describing the model, so codex does not emit the non-fatal
   * "Model metadata for `mock-model` not found" warning. Default false, because the recorded
   * fixtures (events.jsonl, plain.stderr.txt) contain that warning.
   */
  modelCatalog?: boolean;
  /** Extra TOML appended to config.toml (top-level keys must come before tables: use tables). */
  extraConfigToml?: string;
  /** Variables added to (or, with `undefined`, removed from) the returned env. */
  extraEnv?: Record<string, string | undefined>;
  /** Names of further variables to copy from `process.env` when set. */
  passEnv?: string[];
}

/** A hermetic home; delete it with `cleanup()`. */
export interface HermeticCodexHome {
  /** The directory holding all of the below. */
  root: string;
  /** HOME for codex and its login shell (empty: no dotfiles). */
  home: string;
  /** CODEX_HOME (holds config.toml). A sibling of tmpDir, never inside it. */
  codexHome: string;
  /** TMPDIR/TMP/TEMP. */
  tmpDir: string;
  /** An empty working directory for `-C`. */
  workDir: string;
  /** The complete environment for the codex child (process.env is not modified). */
  env: Record<string, string>;
  /** The text written to `$CODEX_HOME/config.toml`. */
  configToml: string;
  /** Removes `root` recursively. Safe to call twice. */
  cleanup(): void;
}

/** Variables copied from process.env when set: enough for the shell tools codex runs, no secrets. */
const ENV_WHITELIST = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'USER', 'LOGNAME', 'SHELL', 'SYSTEMROOT', 'WINDIR', 'COMSPEC'];

/**
 * Creates fresh sibling directories `home/`, `codex-home/`, `tmp/` and `work/` under a new
 * directory in `parentDir`, writes config.toml and returns the environment to run codex with.
 */
export function createHermeticCodexHome(options: HermeticCodexOptions): HermeticCodexHome {
  const root = mkdtempSync(join(options.parentDir ?? tmpdir(), 'codex-hermetic-'));
  const home = join(root, 'home');
  const codexHome = join(root, 'codex-home');
  const tmpDir = join(root, 'tmp');
  const workDir = join(root, 'work');
  for (const dir of [home, codexHome, tmpDir, workDir]) mkdirSync(dir, { mode: 0o700 });

  const model = options.model ?? 'mock-model';
  let catalogPath: string | undefined;
  if (options.modelCatalog === true) {
    catalogPath = join(codexHome, 'model_catalog.json');
    writeFileSync(catalogPath, `${JSON.stringify(mockModelCatalog(model), null, 2)}\n`);
  }
  const configToml = renderHermeticConfig({ ...options, model, catalogPath });
  writeFileSync(join(codexHome, 'config.toml'), configToml);

  const env: Record<string, string> = {};
  for (const name of [...ENV_WHITELIST, ...(options.passEnv ?? [])]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, { HOME: home, CODEX_HOME: codexHome, TMPDIR: tmpDir, TMP: tmpDir, TEMP: tmpDir });
  if (options.envKey !== undefined && options.apiKey !== undefined) env[options.envKey] = options.apiKey;
  if (options.chatgptBaseUrl !== undefined) {
    env.CODEX_REFRESH_TOKEN_URL_OVERRIDE = `${new URL(options.chatgptBaseUrl).origin}/oauth/token`;
  }
  for (const [name, value] of Object.entries(options.extraEnv ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  // Tracing lines on stderr would differ from the fixtures; never inherit a caller's RUST_LOG.
  if (options.extraEnv?.RUST_LOG === undefined) delete env.RUST_LOG;

  let removed = false;
  return {
    root,
    home,
    codexHome,
    tmpDir,
    workDir,
    env,
    configToml,
    cleanup: () => {
      if (removed) return;
      removed = true;
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** TOML string literal (basic string with escapes). */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The hermetic config.toml (spec §7). Each line removes one source of non-loopback traffic or delay:
 * analytics off (metrics endpoint and a 5 s exit flush), plugins off (GitHub / chatgpt.com plugin
 * sync), unbounded_connection_retries off (a refused connection fails in ~0.3 s instead of retrying
 * forever), retries 0 (each scripted failure is seen once), update check off.
 */
export function renderHermeticConfig(options: HermeticCodexOptions & { model: string; catalogPath?: string | undefined }): string {
  const chatgpt = options.chatgptBaseUrl !== undefined;
  const lines = [
    '# Written by createHermeticCodexHome: offline codex against a loopback fake model server.',
    `model = ${tomlString(options.model)}`,
    'model_provider = "mock"',
    'check_for_update_on_startup = false',
  ];
  if (options.catalogPath !== undefined) lines.push(`model_catalog_json = ${tomlString(options.catalogPath)}`);
  if (chatgpt) lines.push(`chatgpt_base_url = ${tomlString(options.chatgptBaseUrl as string)}`);
  lines.push(
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[features]',
    'plugins = false',
    'unbounded_connection_retries = false',
  );
  // Without this, ChatGPT auth adds POST {chatgpt_base_url}ps/mcp calls (connectors).
  if (chatgpt) lines.push('apps = false');
  lines.push(
    '',
    '[model_providers.mock]',
    'name = "Mock"',
    `base_url = ${tomlString(options.baseUrl)}`,
    'wire_api = "responses"',
  );
  if (options.envKey !== undefined) lines.push(`env_key = ${tomlString(options.envKey)}`);
  if (options.requiresOpenaiAuth === true || chatgpt) lines.push('requires_openai_auth = true');
  lines.push(
    'request_max_retries = 0',
    'stream_max_retries = 0',
    `stream_idle_timeout_ms = ${Math.max(1, Math.round(options.streamIdleTimeoutMs ?? 20_000))}`,
  );
  let text = `${lines.join('\n')}\n`;
  if (options.extraConfigToml !== undefined && options.extraConfigToml.trim() !== '') text += `\n${options.extraConfigToml.trim()}\n`;
  return text;
}

/**
 * A one-model catalog for `model_catalog_json`: the fallback tool set (`exec_command`, no
 * apply_patch) with short base instructions. Field names are those of `codex debug models` in 0.169.
 */
export function mockModelCatalog(slug: string): { models: Record<string, unknown>[] } {
  return {
    models: [
      {
        slug,
        display_name: slug,
        description: 'Scripted fake model (loopback test server).',
        default_reasoning_level: null,
        supported_reasoning_levels: [],
        shell_type: 'unified_exec',
        visibility: 'list',
        supported_in_api: true,
        priority: 0,
        upgrade: null,
        base_instructions: 'You are a scripted fake model used in offline tests.',
        default_reasoning_summary: 'auto',
        support_verbosity: false,
        default_verbosity: null,
        apply_patch_tool_type: null,
        truncation_policy: { mode: 'bytes', limit: 10_000 },
        context_window: 128_000,
        max_context_window: 128_000,
        effective_context_window_percent: 95,
        experimental_supported_tools: [],
        input_modalities: ['text'],
      },
    ],
  };
}

/**
 * Extra argv for hermetic runs: none. Everything lives in config.toml, so a wrapper's argv stays
 * exactly as its contract says. Kept as a function so callers do not hard-code that assumption.
 */
export function hermeticCodexArgs(): string[] {
  return [];
}

const PLATFORM_PACKAGES: Record<string, string> = {
  'x86_64-unknown-linux-musl': '@openai/codex-linux-x64',
  'aarch64-unknown-linux-musl': '@openai/codex-linux-arm64',
  'x86_64-apple-darwin': '@openai/codex-darwin-x64',
  'aarch64-apple-darwin': '@openai/codex-darwin-arm64',
  'x86_64-pc-windows-msvc': '@openai/codex-win32-x64',
  'aarch64-pc-windows-msvc': '@openai/codex-win32-arm64',
};

/** The Rust target triple of the codex build for this platform, as the npm launcher maps it. */
export function codexTargetTriple(platform: string = process.platform, arch: string = process.arch): string | undefined {
  const cpu = arch === 'x64' ? 'x86_64' : arch === 'arm64' ? 'aarch64' : undefined;
  if (cpu === undefined) return undefined;
  if (platform === 'linux' || platform === 'android') return `${cpu}-unknown-linux-musl`;
  if (platform === 'darwin') return `${cpu}-apple-darwin`;
  if (platform === 'win32') return `${cpu}-pc-windows-msvc`;
  return undefined;
}

/**
 * Absolute path of the native codex binary: `@openai/codex-<platform>/vendor/<triple>/bin/codex`,
 * resolved from the installed `@openai/codex` package (as `@openai/codex-sdk` does), falling back to
 * the npm launcher `node_modules/.bin/codex`. Running the native binary saves the launcher's Node
 * start-up and avoids orphaning codex when only the launcher's pid is killed.
 * Throws when neither is installed.
 */
export function resolveCodexBinary(): string {
  const triple = codexTargetTriple();
  const pkg = triple === undefined ? undefined : PLATFORM_PACKAGES[triple];
  if (triple !== undefined && pkg !== undefined) {
    const exe = process.platform === 'win32' ? 'codex.exe' : 'codex';
    for (const requireFrom of requireBases()) {
      try {
        const req = createRequire(requireFrom);
        // Resolve the platform package from inside @openai/codex, where npm installs it.
        const codexPkgJson = req.resolve('@openai/codex/package.json');
        const platformPkgJson = createRequire(codexPkgJson).resolve(`${pkg}/package.json`);
        const candidate = join(dirname(platformPkgJson), 'vendor', triple, 'bin', exe);
        if (existsSync(candidate)) return candidate;
      } catch {
        // Not resolvable from this base; try the next one.
      }
    }
  }
  return resolveCodexLauncher();
}

/** Absolute path of the npm launcher `node_modules/.bin/codex` (a Node script). Throws when absent. */
export function resolveCodexLauncher(): string {
  for (const base of requireBases()) {
    let dir = dirname(fileURLToPath(base));
    for (;;) {
      const candidate = join(dir, 'node_modules', '.bin', process.platform === 'win32' ? 'codex.cmd' : 'codex');
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('codex is not installed: neither the @openai/codex platform binary nor node_modules/.bin/codex was found');
}

/** Where to resolve packages from: this module (src/ or dist/src/), then the current directory. */
function requireBases(): string[] {
  return [import.meta.url, pathToFileURL(resolve(process.cwd(), 'package.json')).href];
}

/**
 * The environment that runs `bin/codex-wrapper` (or the library) against a hermetic home: the
 * home's env, the work dir as TARGET_PROJECT_DIR, the native codex binary, and the wrapper's
 * kept files (prompt copy, error log) inside the home's TMPDIR instead of the system /tmp.
 * `danger-full-access`, because containers often lack the user namespaces codex's sandbox needs
 * and the fake model's commands are harmless.
 */
export function hermeticWrapperEnv(home: HermeticCodexHome, codexBin: string = resolveCodexBinary()): Record<string, string> {
  return {
    ...home.env,
    TARGET_PROJECT_DIR: home.workDir,
    CODEX_BIN: codexBin,
    CODEX_SANDBOX: 'danger-full-access',
    CODEX_PROMPT_LOG_PATH: join(home.tmpDir, 'prompt.txt'),
    CODEX_ERROR_LOG_PATH: join(home.tmpDir, 'error.log'),
  };
}
