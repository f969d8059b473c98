/**
 * Isolated child runs: one CODEX_HOME and TMPDIR per run (parallel runs never share codex's SQLite
 * state), credentials shared by symlink, the parent's config linked, and one OAuth refresh for
 * many parallel runs. Used by the wrapper (`CODEX_RUN_DIR`) and the MCP server alike, through the
 * adapter's `runDir` option. (Secrets are hidden from model commands in every mode: secret_env.ts.)
 */
import { readFile } from 'node:fs/promises';
import { ok, type Result } from '../../../../domain/result.js';
import type { EnvRecord } from '../../../env.js';
import { parentCodexHome, provideCredentials, type CredentialSource } from './credentials.js';
import { linkParentConfig } from './link_config.js';
import { acquireLock, refreshDue, watchForRewrite, type LockOptions } from './refresh_lock.js';
import { prepareRunDirs, type RunDirs } from './run_dirs.js';

/** A prepared isolated run. */
export interface IsolatedRun extends RunDirs {
  credential: CredentialSource;
  /** Variables to set for codex: CODEX_HOME, TMPDIR/TMP/TEMP, and CODEX_API_KEY when mapped. */
  envOverrides: Record<string, string>;
  /** One-line notices for stderr. */
  notices: string[];
  /** Config files linked into the run home. */
  linkedConfig: string[];
  /**
   * Waits, if needed, until this run may start without spending a refresh token another run is
   * about to spend. Call right before starting codex; call the returned `done()` when codex ended.
   */
  coordinateRefresh(): Promise<{ done(): Promise<void>; waitedMs: number; refresher: boolean }>;
}

/** Options of {@link prepareIsolatedRun}. */
export interface IsolationOptions {
  /** The caller's environment (CODEX_HOME, HOME, keys, CODEX_LINK_CONFIG, CODEX_REFRESH_LOCK…). */
  env: EnvRecord;
  lock?: LockOptions;
}

/**
 * Prepares `<runDir>/.codex_home` and `<runDir>/.tmp`, credentials and config for one run.
 * Fails fast, before codex starts, with a typed error (no credentials, unwritable run dir,
 * impossible symlink); never copies a secret.
 */
export async function prepareIsolatedRun(runDir: string, options: IsolationOptions): Promise<Result<IsolatedRun>> {
  const preparedDirs = await prepareRunDirs(runDir);
  if (!preparedDirs.ok) return preparedDirs;
  const dirs = preparedDirs.value;
  const provided = await provideCredentials(dirs.codexHome, options.env);
  if (!provided.ok) return provided;
  const credentials = provided.value;
  const linked = await linkParentConfig(dirs.codexHome, parentCodexHome(options.env), options.env);
  if (!linked.ok) return linked;
  const linkedConfig = linked.value;

  const sharedAuth =
    credentials.source.kind === 'auth_link' || credentials.source.kind === 'existing_auth_link' ? credentials.source.target : null;
  const lockEnabled = options.env.CODEX_REFRESH_LOCK !== '0';
  return ok({
    ...dirs,
    credential: credentials.source,
    envOverrides: { CODEX_HOME: dirs.codexHome, TMPDIR: dirs.tmpDir, TMP: dirs.tmpDir, TEMP: dirs.tmpDir, ...credentials.env },
    notices: credentials.notices,
    linkedConfig,
    coordinateRefresh: () =>
      sharedAuth !== null && lockEnabled ? coordinate(sharedAuth, options.lock ?? {}) : Promise.resolve(noCoordination()),
  });
}

function noCoordination() {
  return { done: async () => undefined, waitedMs: 0, refresher: false };
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

async function coordinate(sharedAuth: string, lockOptions: LockOptions) {
  if (!refreshDue(await readText(sharedAuth), Date.now()).due) return noCoordination();
  const started = Date.now();
  const lock = await acquireLock(`${sharedAuth}.codex-child-refresh.lock`, lockOptions);
  const waitedMs = Date.now() - started;
  if (lock === null) return { ...noCoordination(), waitedMs };
  // Another run may have refreshed while we waited: then there is nothing left to serialise.
  if (!refreshDue(await readText(sharedAuth), Date.now()).due) {
    await lock.release();
    return { ...noCoordination(), waitedMs };
  }
  // This run refreshes. Hold the lock until codex has rewritten auth.json, or until it ends.
  const watch = watchForRewrite(sharedAuth);
  void watch.changed.then(() => lock.release());
  return {
    waitedMs,
    refresher: true,
    done: async () => {
      watch.stop();
      await lock.release();
    },
  };
}
