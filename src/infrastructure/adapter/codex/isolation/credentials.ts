/**
 * Credentials for an isolated run, in this order:
 * 1. `CODEX_API_KEY` is passed through; 2. `OPENAI_API_KEY` is handed over as `CODEX_API_KEY`
 * (`codex exec` 0.169 ignores OPENAI_API_KEY); neither writes a file;
 * 3. otherwise the parent's `auth.json` is SYMLINKED into the run home — never copied, so there is
 * one token store and one OAuth refresh-token family. An existing auth.json in the run home is
 * never overwritten or deleted (a dangling link is re-pointed); 4. nothing → fail fast.
 */
import { lstat, readlink, symlink, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { childError, type CodexChildError } from '../../../../domain/errors.js';
import { err, ok, type Failure, type Result } from '../../../../domain/result.js';
import { realRegularFile } from '../../../fs/file_reads.js';
import type { EnvRecord } from '../../../env.js';

/** How the run authenticates. */
export type CredentialSource =
  | { kind: 'codex_api_key' }
  | { kind: 'openai_api_key' }
  | { kind: 'auth_link'; link: string; target: string }
  | { kind: 'existing_auth_link'; link: string; target: string }
  | { kind: 'existing_auth_file'; file: string };

/** Outcome of {@link provideCredentials}. */
export interface ProvidedCredentials {
  source: CredentialSource;
  /** Variables to set for codex (CODEX_API_KEY in the OPENAI_API_KEY case). */
  env: Record<string, string>;
  /** One-line notices for stderr. */
  notices: string[];
}

const nonEmpty = (value: string | undefined): value is string => value !== undefined && value !== '';

/** The parent's CODEX_HOME: `$CODEX_HOME`, else `~/.codex` (HOME from `env`, then the OS). */
export function parentCodexHome(env: EnvRecord): string {
  if (nonEmpty(env.CODEX_HOME)) return path.resolve(env.CODEX_HOME);
  return path.join(nonEmpty(env.HOME) ? env.HOME : os.homedir(), '.codex');
}

function oneLine(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return `${e.code ?? 'error'} (${(e.message ?? String(error)).replace(/\s+/g, ' ').trim()})`;
}

/** The fail-fast error for "no credentials at all". */
export function authMissingError(parentHome: string): CodexChildError {
  return childError({
    reason: 'auth_missing',
    message: `codex auth not found. Run \`codex login\`. (No ${path.join(parentHome, 'auth.json')}, and neither CODEX_API_KEY nor OPENAI_API_KEY is set.)`,
    details: { parentHome },
  });
}

/**
 * Creates `link → target` as a symlink, or explains why it cannot. Never falls back to a copy.
 * An `EEXIST` race with a parallel run that made the same link is not an error.
 */
export async function linkShared(link: string, target: string, what: string): Promise<Result<void>> {
  try {
    await symlink(target, link);
    return ok(undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await readlink(link).catch(() => null)) === target) return ok(undefined);
    return fail({
      reason: 'auth_link_failed',
      message:
        `cannot symlink ${link} -> ${target}: ${oneLine(error)}; ${what} is shared by symlink and never copied. ` +
        'Put the run dir on a file system that supports symlinks, or set CODEX_API_KEY.',
      details: { link, target },
    });
  }
}

const fail = (init: Parameters<typeof childError<'auth_link_failed'>>[0]): Failure => err(childError(init));

/**
 * Decides and sets up the credentials of one isolated run.
 *
 * @param codexHome the run's CODEX_HOME.
 * @param env the caller's environment.
 */
export async function provideCredentials(codexHome: string, env: EnvRecord): Promise<Result<ProvidedCredentials>> {
  if (nonEmpty(env.CODEX_API_KEY)) return ok({ source: { kind: 'codex_api_key' }, env: {}, notices: [] });
  if (nonEmpty(env.OPENAI_API_KEY)) return ok({ source: { kind: 'openai_api_key' }, env: { CODEX_API_KEY: env.OPENAI_API_KEY }, notices: [] });

  const link = path.join(codexHome, 'auth.json');
  const existing = await lstat(link).catch(() => null);
  if (existing?.isFile()) {
    return ok({
      source: { kind: 'existing_auth_file', file: link },
      env: {},
      notices: [`codex-child: ${link} is a regular file, a copy of a secret; using it as it is (symlink the shared auth.json instead)`],
    });
  }
  if (existing?.isSymbolicLink()) {
    const target = await realRegularFile(link);
    if (target !== null) return ok({ source: { kind: 'existing_auth_link', link, target }, env: {}, notices: [] });
    await unlink(link).catch(() => undefined); // dangling: re-point it below
  } else if (existing) {
    return fail({
      reason: 'auth_link_failed',
      message: `${link} exists but is neither a file nor a symlink; remove it so the shared auth.json can be linked`,
      details: { link },
    });
  }

  const parentHome = parentCodexHome(env);
  const target = await realRegularFile(path.join(parentHome, 'auth.json'));
  if (target === null) return err(authMissingError(parentHome));
  const linked = await linkShared(link, target, 'auth.json');
  if (!linked.ok) return linked;
  return ok({ source: { kind: 'auth_link', link, target }, env: {}, notices: [] });
}
